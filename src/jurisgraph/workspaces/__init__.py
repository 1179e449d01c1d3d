"""Workspaces: the public STJ corpus and users' private uploads; who may read which."""

"""Uploaded documents: the user's files in their private workspace (API, CLI, Documentos page)."""

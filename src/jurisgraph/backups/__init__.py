"""Backups: create, verify, restore, list and prune complete copies of a jurisgraph service.

A backup is one folder (``jurisgraph-<UTC timestamp>``) holding the database, the vector store,
the document storage and ``manifest.json`` (versions, counts and a checksum of every file).
"""

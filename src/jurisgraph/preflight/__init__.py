"""Preflight: the deploy plan's checklist as code. Each check is a small function that looks at one
item (database, secret, admin, keys, vector store, storage, Redis, workers, backups, disk) and
returns a :class:`~jurisgraph.preflight.checks.Check`; :func:`~jurisgraph.preflight.service.run`
runs them all. ``jurisgraph preflight`` prints one ✓/✗ line per item and exits non-zero on any ✗.
"""

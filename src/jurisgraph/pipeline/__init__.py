"""The ingestion pipeline: sync → download → parse → chunk → extract → graph → communities → index.

Each stage is idempotent and resumable, logs an ``extraction_logs`` row per action and
commits only at its own edge (one resource or one graph rebuild at a time).
"""

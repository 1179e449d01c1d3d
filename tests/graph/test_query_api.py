"""``POST /api/v1/graph/query`` through the real app, and the CLI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from jurisgraph.app import create_app
from tests.graph.conftest import Corpus

KUKINA = "quantos temas da Primeira Seção tiveram recurso representativo relatado pelo Min. Sérgio Kukina"


@pytest.fixture(scope="module")
def client(corpus: Corpus) -> Iterator[TestClient]:
    app = create_app(corpus.settings)
    with TestClient(app) as test_client:
        own = app.state.container
        app.state.container = corpus.container
        try:
            yield test_client
        finally:
            app.state.container = own


def test_question_and_typed_query_give_the_same_cited_answer(client: TestClient) -> None:
    asked = client.post("/api/v1/graph/query", json={"question": KUKINA})
    assert asked.status_code == 200, asked.text
    body = asked.json()
    assert body["query"]["relation"] == "relator_de" and body["query"]["aggregate"] == "count"
    typed = client.post(
        "/api/v1/graph/query",
        json={
            "query": {
                "relation": "relator_de",
                "anchors": ["ministro:sergio_kukina"],
                "filters": {"orgao": "S1", "tipo": "Tema"},
                "aggregate": "count",
            }
        },
    )
    assert typed.status_code == 200, typed.text
    again = typed.json()
    assert again["value"] == body["value"] == body["total"] == len(body["rows"])
    assert [r["key"] for r in again["rows"]] == [r["key"] for r in body["rows"]]
    documents = {c["document_key"] for c in body["citations"]}
    assert {r["record"]["document_key"] for r in body["rows"]} <= documents
    assert str(body["total"]) in body["answer"]


def test_bad_requests_are_rejected(client: TestClient) -> None:
    assert client.post("/api/v1/graph/query", json={}).status_code == 422
    assert (
        client.post("/api/v1/graph/query", json={"query": {"relation": "temas", "sql": "drop"}}).status_code
        == 422
    )
    unmapped = client.post("/api/v1/graph/query", json={"question": "o que é usucapião?"})
    assert 400 <= unmapped.status_code < 500

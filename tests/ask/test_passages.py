"""A cited passage read back by character span, and one question of the audit trail by id."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.fixtures.sample import Sample

TEMA = "Qual a tese do Tema 1.076? (passagem citada)"


def test_a_citation_span_reads_back_the_cited_text(sample_api: TestClient) -> None:
    body = sample_api.post("/api/v1/ask", json={"question": TEMA}).json()
    spans = [c for c in body["citations"] if c["start"] is not None]
    assert spans
    for cited in spans:
        response = sample_api.get(
            "/api/v1/passages",
            params={"document": cited["document_key"], "start": cited["start"], "end": cited["end"]},
        )
        assert response.status_code == 200
        passage = response.json()
        assert passage["text"] == cited["text"] and passage["document_key"] == cited["document_key"]
        assert passage["title"] == cited["title"]


def test_passage_errors(sample_api: TestClient, sample: Sample) -> None:
    [(key, size)] = sample.rows("select key, length(text_content) from documents order by id limit 1")
    get = sample_api.get
    assert get("/api/v1/passages", params={"document": key, "start": 0, "end": 10}).status_code == 200
    assert get("/api/v1/passages", params={"document": "no:such", "start": 0, "end": 10}).status_code == 404
    beyond = get("/api/v1/passages", params={"document": key, "start": 0, "end": size + 1})
    assert beyond.status_code == 400 and "beyond" in beyond.json()["detail"]
    assert get("/api/v1/passages", params={"document": key, "start": 5, "end": 5}).status_code == 400
    assert get("/api/v1/passages", params={"document": key, "start": 0, "end": 2**40}).status_code == 422


def test_one_question_of_the_audit_trail(sample_api: TestClient, sample_user: dict[str, str]) -> None:
    asked = sample_api.post(
        "/api/v1/ask", json={"question": TEMA + " (reaberta)"}, headers=sample_user
    ).json()
    row = sample_api.get(f"/api/v1/queries/{asked['id']}", headers=sample_user).json()
    assert (row["id"], row["query"], row["response"]) == (asked["id"], TEMA + " (reaberta)", asked["answer"])
    assert row["reasoning_chain"][-1]["step"] == "grounding"
    for query_id, status in (("999999999", 404), ("0", 422), ("99999999999999999999", 422)):
        assert sample_api.get(f"/api/v1/queries/{query_id}", headers=sample_user).status_code == status

"""The HTTP API and the page of questions, through the real app (TestClient) on the sample."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jurisgraph.ask.audit import COLUMNS
from jurisgraph.engine.query import NOTE
from tests.fixtures.sample import Sample, flat, sample_tema

TEMA = "Qual a tese do Tema 1.076?"


@pytest.fixture
def client(sample_api: TestClient) -> TestClient:
    """The app on the shared sample."""
    return sample_api


def sse(body: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_post_ask_returns_a_cited_extractive_answer(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": TEMA})
    assert response.status_code == 200
    body = response.json()
    assert body["answer_kind"] == "extractive" and body["note"] == NOTE and body["mode"] == "local"
    assert flat(sample_tema(1076)["teseFirmada"])[:300] in flat(body["answer"])
    first = body["citations"][0]
    assert (
        first["n"] == 1
        and first["document_key"] == "tema:1076"
        and first["orgao_julgador"] == "CORTE ESPECIAL"
    )
    for key in ("processo", "relator", "date", "stj_link", "start", "end", "text", "title"):
        assert key in first
    assert body["grounding"]["ok"] and isinstance(body["id"], int)


def test_post_ask_applies_filters(client: TestClient) -> None:
    body = client.post(
        "/api/v1/ask", json={"question": TEMA, "orgao": "PRIMEIRA TURMA", "mode": "local"}
    ).json()
    assert body["citations"] and {c["orgao_julgador"] for c in body["citations"]} == {"PRIMEIRA TURMA"}


@pytest.mark.parametrize(
    "payload", [{"question": ""}, {"question": TEMA, "mode": "tudo"}, {"question": "x" * 2001}]
)
def test_post_ask_rejects_invalid_input(client: TestClient, payload: dict[str, str]) -> None:
    assert client.post("/api/v1/ask", json=payload).status_code == 422


def test_stream_sends_events_then_the_citations(client: TestClient) -> None:
    response = client.get("/api/v1/ask/stream", params={"q": TEMA})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = sse(response.text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[1] == "sources" and names[-1] == "done" and names.count("delta") > 1
    done = events[-1][1]
    assert "".join(d["text"] for n, d in events if n == "delta") == done["answer"]
    assert done["citations"][0]["document_key"] == "tema:1076" and done["note"] == NOTE


def test_audit_list_and_exports(client: TestClient, sample: Sample, sample_admin: dict[str, str]) -> None:
    question = "Quem é o relator do REsp 1.850.512/SP?"
    asked = client.post("/api/v1/ask", json={"question": question}, headers=sample_admin).json()
    rows = client.get("/api/v1/queries", params={"limit": 3}, headers=sample_admin).json()
    assert rows[0]["id"] == asked["id"] and rows[0]["query"] == question
    assert rows[0]["reasoning_chain"][0]["step"] == "linking"
    total = sample.rows("select count(*) from rag_queries")[0][0]
    jsonl = client.get("/api/v1/queries/export", params={"format": "jsonl"}, headers=sample_admin)
    assert "attachment" in jsonl.headers["content-disposition"]
    lines = [json.loads(line) for line in jsonl.text.splitlines()]
    assert len(lines) == total and lines[-1]["id"] == asked["id"]
    exported = client.get("/api/v1/queries/export", params={"format": "csv"}, headers=sample_admin)
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(table) == total and tuple(table[0].keys()) == COLUMNS
    assert json.loads(table[-1]["reasoning_chain"])[-1]["step"] == "grounding"
    xml = client.get("/api/v1/queries/export", params={"format": "xml"}, headers=sample_admin)
    assert xml.status_code == 422


def test_page_shows_the_answer_with_clickable_citations(client: TestClient) -> None:
    empty = client.get("/perguntar")
    assert empty.status_code == 200 and 'name="modo"' in empty.text and 'value="global"' in empty.text
    page = client.get("/perguntar", params={"q": TEMA, "modo": "auto"})
    assert page.status_code == 200
    html = page.text
    assert NOTE in html and 'href="#fonte-1"' in html and 'id="fonte-1"' in html
    assert "Tema 1.076/STJ" in html and 'data-document="tema:1076"' in html
    assert 'href="/consulta"' in client.get("/busca").text


def test_a_streamed_answer_is_on_the_audit_trail_once_the_stream_ends(
    client: TestClient, sample: Sample
) -> None:
    question = "Qual a tese do Tema 1.076? (auditoria do fluxo)"
    done = sse(client.get("/api/v1/ask/stream", params={"q": question}).text)[-1][1]
    assert sample.rows("select query from rag_queries where id = :i", i=done["id"]) == [(question,)]

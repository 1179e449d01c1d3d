"""The ``graph`` mode of questions: auto routes list/count questions to the typed graph query,
the audit row keeps the parsed query, unmapped questions fall back with the reason recorded."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from jurisgraph.app import create_app
from jurisgraph.ask import service
from jurisgraph.ask.service import AskOptions, AskResult
from jurisgraph.db import session_scope
from jurisgraph.graph import query_service
from tests.fixtures.sample import Sample

COUNT = "quantos temas repetitivos a Primeira Seção julgou em 2021"


def ask(sample: Sample, question: str, mode: str = "auto") -> AskResult:
    container = sample.container
    with session_scope(container.sessions) as session:
        return service.ask(
            session,
            container.retrieval(),
            container.name_indexes,
            question,
            [sample.workspace],
            AskOptions(mode=mode),
        )


def test_auto_routes_a_count_question_to_the_graph_query(sample: Sample) -> None:
    result = ask(sample, COUNT)
    assert result.mode == "graph" and result.answer_kind == "graph" and result.llm_calls == 0
    with session_scope(sample.container.sessions) as session:
        direct = query_service.answer_question(session, [sample.workspace], COUNT)
    assert result.graph is not None and result.graph["value"] == direct.total > 0
    assert result.answer.startswith(f"{direct.total} ")
    assert len(result.graph["rows"]) == direct.total
    assert {c.source.document_key for c in result.sources} == {r.key for r in direct.rows}
    assert {row["citation"] for row in result.graph["rows"]} == {c.n for c in result.sources}
    assert result.grounding.ok
    (chain,) = sample.rows("select reasoning_chain from rag_queries where id = :id", id=result.query_id)[0]
    steps = json.loads(chain) if isinstance(chain, str) else chain
    graph_step = next(s for s in steps if s["step"] == "graph_query")
    assert graph_step["mapped"] and graph_step["query"]["relation"] == "temas"
    assert graph_step["query"]["filters"]["year_from"] == 2021


def test_an_unmapped_question_falls_back_with_the_reason(sample: Sample) -> None:
    result = ask(sample, "Qual a tese do Tema 1.076?", mode="graph")
    assert result.mode != "graph" and result.answer_kind == "extractive" and result.citations
    assert not [s for s in result.reasoning_chain if s["step"] == "graph_query"]
    mode = next(s for s in result.reasoning_chain if s["step"] == "mode")
    assert mode["requested"] == "graph" and mode["graph_query"]["mapped"] is False
    assert mode["graph_query"]["reason"]


def test_the_page_shows_the_table_with_cited_rows(sample: Sample) -> None:
    app = create_app(sample.settings)
    with TestClient(app) as client:
        own = app.state.container
        app.state.container = sample.container
        try:
            page = client.get("/perguntar", params={"q": COUNT})
        finally:
            app.state.container = own
    assert page.status_code == 200
    table = page.text.split('id="graph-table"', 1)[1].split("</table>", 1)[0]
    total = int(table.split('data-total="', 1)[1].split('"', 1)[0])
    assert total > 0 and table.count("<tr data-key=") == total
    assert table.count('class="cite-ref"') == total

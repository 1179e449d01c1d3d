"""The graph query mode on the labelled structured questions (dev split) and its guarantees:
every row cites a stored record, only the caller's workspaces are read."""

from __future__ import annotations

from jurisgraph.db import session_scope
from jurisgraph.engine.query.graphq import Aggregate, GraphQuery, Relation
from jurisgraph.graph import query_service
from jurisgraph.graph.query_evaluation import answer, load_questions, score, summarize
from tests.graph.conftest import QUESTIONS, Corpus


def test_labelled_set_is_large_enough_and_split() -> None:
    items = load_questions(QUESTIONS)
    assert len(items) >= 80
    assert {i["split"] for i in items} == {"dev", "heldout", "blind"}
    patterns = {i["pattern"] for i in items}
    for pattern in patterns:
        assert {i["split"] for i in items if i["pattern"] == pattern} <= {"dev", "heldout", "blind"}
    assert len(patterns) >= 10


def test_dev_split_exact_match_and_f1(corpus: Corpus) -> None:
    items = load_questions(QUESTIONS, "dev")
    with session_scope(corpus.container.sessions) as session:
        scored = []
        for item in items:
            mapped, got, ms = answer(session, corpus.workspaces, item["question"])
            scored.append(score(item, got, mapped, ms))
    summary = summarize(scored)
    missed = [(s.id, s.got) for s in scored if (s.exact if s.kind in ("count", "value") else s.f1) < 1]
    assert summary.exact >= 0.9, missed
    assert summary.f1 >= 0.9, missed
    assert all(s.mapped for s in scored), missed


def test_every_row_cites_the_record_that_proves_it(corpus: Corpus) -> None:
    query = GraphQuery(
        relation=Relation.RELATOR, anchors=("ministro:sergio_kukina",), aggregate=Aggregate.COUNT
    )
    with session_scope(corpus.container.sessions) as session:
        result = query_service.run(session, corpus.workspaces, query)
    assert result.total == len(result.rows) == result.value and result.total > 0
    for row in result.rows:
        assert row.record is not None and row.record.document_key == row.key
        assert row.facts["processos_relatados"]
    numbers = [f"[{n}]" for n in range(1, len(result.citations) + 1)]
    assert all(marker in result.sentence for marker in numbers[:12])


def test_cited_acordaos_carry_their_espelho_record(corpus: Corpus) -> None:
    with session_scope(corpus.container.sessions) as session:
        result = query_service.answer_question(
            session, corpus.workspaces, "quais processos citam o REsp 1.465.535/SP"
        )
    assert result.value == ["processo:edcl_no_agint_no_resp_1872357"]
    record = result.rows[0].record
    assert record is not None and record.kind == "espelho" and record.orgao_julgador == "PRIMEIRA TURMA"
    assert record.processo == "EDcl no AgInt no REsp 1872357"


def test_no_readable_workspace_reads_nothing(corpus: Corpus) -> None:
    query = GraphQuery(relation=Relation.TEMAS, aggregate=Aggregate.COUNT)
    with session_scope(corpus.container.sessions) as session:
        assert query_service.run(session, corpus.workspaces, query).total > 1000
        assert query_service.run(session, [], query).total == 0
        assert query_service.run(session, [max(corpus.workspaces) + 99], query).total == 0

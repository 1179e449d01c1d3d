"""A question runs in the caller's one transaction, and nodes by key are read in batches."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import event

from jurisgraph.ask import service
from jurisgraph.db import IN_BATCH, session_scope
from jurisgraph.graph.repository import nodes_by_ids
from jurisgraph.models import RagQuery
from tests.fixtures.sample import Sample


def test_a_question_is_one_transaction_of_the_caller(sample: Sample) -> None:
    container = sample.container
    (before,) = sample.rows("select count(*) from rag_queries")[0]
    commits: list[Any] = []

    def on_commit(connection: Any) -> None:
        commits.append(connection)

    event.listen(container.engine, "commit", on_commit)
    try:
        with container.sessions() as session:
            result = service.ask(
                session,
                container.retrieval(),
                container.name_indexes,
                "Qual a tese do Tema 1.076?",
                [sample.workspace],
            )
            assert session.get(RagQuery, result.query_id) is not None
            session.rollback()
    finally:
        event.remove(container.engine, "commit", on_commit)
    assert commits == []
    assert sample.rows("select count(*) from rag_queries")[0] == (before,)


def test_nodes_by_key_are_read_in_batches(sample: Sample) -> None:
    keys = [
        key
        for (key,) in sample.rows(
            "select entity_id from graph_nodes where workspace_id = :w", w=sample.workspace
        )
    ]
    assert len(keys) > IN_BATCH
    statements: list[str] = []

    def on_execute(*args: Any) -> None:
        statements.append(args[2])

    event.listen(sample.container.engine, "before_cursor_execute", on_execute)
    try:
        with session_scope(sample.container.sessions) as session:
            nodes = nodes_by_ids(session, [sample.workspace], [*keys, *keys[:10], "processo:nao_existe"])
    finally:
        event.remove(sample.container.engine, "before_cursor_execute", on_execute)
    assert sorted(n.entity_id for n in nodes) == sorted(keys)
    assert len([s for s in statements if "graph_nodes" in s]) == math.ceil((len(keys) + 1) / IN_BATCH)

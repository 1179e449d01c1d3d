"""The ``graph`` answering mode: list and count questions answered exactly from the graph.

``auto`` routes here when the question parser maps the question to a typed graph query;
``graph`` asks for it explicitly. A question the parser cannot map goes on to the other
modes, with that fact (and why) on the reasoning chain. No LLM is called: the answer is the
query's sentence and table, every row citing the record that proves it.
"""

from __future__ import annotations

import time
from typing import Any

from jurisgraph.db import Session
from jurisgraph.engine.query import Citation, Source, SourceKind
from jurisgraph.engine.query.graphq.answer import Record
from jurisgraph.graph import query_service
from jurisgraph.graph.query_service import GraphAnswer
from jurisgraph.search.service import STJ_SEARCH_URL

NOTE_GRAPH = "Resposta exata da consulta ao grafo (sem LLM): cada linha cita o registro que a comprova."


def attempt(
    session: Session, workspaces: list[int], question: str
) -> tuple[GraphAnswer | None, dict[str, Any]]:
    """Parse and (when mapped) run the graph query; the reasoning-chain step either way."""
    since = time.perf_counter()
    parsed = query_service.parse(session, workspaces, question)
    step: dict[str, Any] = {
        "step": "graph_query",
        "mapped": parsed.query is not None,
        "reason": parsed.reason,
        "anchors": parsed.anchors,
    }
    answer = None
    if parsed.query is not None:
        answer = query_service.run(session, workspaces, parsed.query)
        step.update(query=parsed.query.describe(), total=answer.total, value=answer.value)
    step["ms"] = round((time.perf_counter() - since) * 1000, 1)
    return answer, step


def _source(record: Record) -> Source:
    return Source(
        key=record.document_key,
        kind=SourceKind.RECORD,
        document_key=record.document_key,
        title=record.title,
        text=record.text,
        start=0,
        end=len(record.text),
        processo=record.processo,
        orgao_julgador=record.orgao_julgador,
        relator=record.relator,
        date=record.date,
        stj_link=STJ_SEARCH_URL + record.processo.replace(" ", "+") if record.processo else None,
        source_url=record.source_url,
    )


def citations(answer: GraphAnswer) -> list[Citation]:
    """The numbered records of the answer (numbers as in its sentence)."""
    return [Citation(n, _source(record)) for n, record in enumerate(answer.citations, start=1)]


def table(answer: GraphAnswer) -> dict[str, Any]:
    """The answer's table and query, JSON-ready (what the API and the page show)."""
    numbers = {c.document_key: n for n, c in enumerate(answer.citations, start=1)}
    rows = []
    for row in answer.rows:
        data = row.as_dict()
        data["citation"] = numbers.get(row.record.document_key) if row.record else None
        data.pop("record", None)
        rows.append(data)
    return {"query": answer.query.describe(), "total": answer.total, "value": answer.value, "rows": rows}

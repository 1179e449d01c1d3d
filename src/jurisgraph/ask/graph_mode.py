"""The ``graph`` answering mode: list and count questions answered exactly from the graph.

``auto`` routes here when the question parser maps the question to a typed graph query;
``graph`` asks for it explicitly. When the rules cannot map a list or count question and an
LLM is configured, the LLM may emit the same typed query as validated JSON
(:mod:`jurisgraph.graph.query_fallback`). A question neither maps goes on to the other modes,
with that fact (and why) on the reasoning chain. The answer itself is never generated: it is
the query's sentence and table, every row citing the record that proves it.
"""

from __future__ import annotations

import time
from typing import Any

from jurisgraph.db import Session
from jurisgraph.engine.llm import ChatModel
from jurisgraph.engine.query import Citation, Source, SourceKind
from jurisgraph.engine.query.generate import CallLog
from jurisgraph.engine.query.graphq.answer import Record
from jurisgraph.graph import query_fallback, query_service
from jurisgraph.graph.query_fallback import StructuredChat
from jurisgraph.graph.query_service import GraphAnswer
from jurisgraph.search.service import STJ_SEARCH_URL

NOTE_GRAPH = "Resposta exata da consulta ao grafo (sem LLM): cada linha cita o registro que a comprova."
NOTE_GRAPH_LLM = (
    "Resposta exata da consulta ao grafo; a consulta tipada foi montada pelo LLM e validada "
    "(nenhum SQL livre): cada linha cita o registro que a comprova."
)


def note(answer: GraphAnswer) -> str:
    """The answer's note: exact, and whether the rules or the LLM built the typed query."""
    return NOTE_GRAPH_LLM if answer.parsed_by == "llm" else NOTE_GRAPH


def attempt(
    session: Session,
    workspaces: list[int],
    question: str,
    chat: ChatModel | None = None,
    calls: CallLog | None = None,
    *,
    explicit: bool = False,
) -> tuple[GraphAnswer | None, dict[str, Any]]:
    """Parse and (when mapped) run the graph query; the reasoning-chain step either way.

    When the rules cannot map a list or count question (any question when ``explicit``, the
    ``graph`` mode) and ``chat`` answers structured JSON (an LLM is configured), the LLM is
    asked for the same typed query; its outcome, valid or not, is on the step."""
    since = time.perf_counter()
    parsed = query_service.parse(session, workspaces, question)
    step: dict[str, Any] = {
        "step": "graph_query",
        "mapped": parsed.query is not None,
        "reason": parsed.reason,
        "anchors": parsed.anchors,
    }
    query = parsed.query
    if isinstance(chat, StructuredChat) and query_fallback.wanted(parsed, explicit):
        fallback = query_fallback.ask_llm(session, workspaces, chat, question, parsed, calls)
        step["llm_fallback"] = fallback.describe()
        query = fallback.query
        step["mapped"] = query is not None
    answer = None
    if query is not None:
        answer = query_service.run(session, workspaces, query)
        answer.parsed_by = "llm" if query is not parsed.query else "regras"
        step.update(
            query=query.describe(), total=answer.total, value=answer.value, parsed_by=answer.parsed_by
        )
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

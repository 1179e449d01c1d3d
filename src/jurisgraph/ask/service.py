"""The ask service: a question in, a cited answer out, every step on the audit trail.

Without an LLM (``chat=None``, the default configuration) the answer is extractive. With one,
it is generated from the numbered context; when the LLM budget is exhausted or the provider
fails, the answer falls back to the extractive one, labelled as such. LLM calls per question:
naive, local and hybrid 1; auto at most 2 (classifier and answer); an explicit global question
one per batch of reports plus one.

A question is one transaction: everything is read, and the audit row written, in the caller's
session; the edge (request, CLI command) commits it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog

from jurisgraph.ask import answering, audit, graph_mode
from jurisgraph.ask.answering import Answered
from jurisgraph.ask.chat import configured_chat
from jurisgraph.ask.gathering import MAX_QUESTION, AskOptions, Gathered, gather
from jurisgraph.db import Session
from jurisgraph.engine.llm import ChatModel
from jurisgraph.engine.query import (
    COMPOSER_VERSION,
    NOTE,
    NOTE_BUDGET,
    NOTE_FAILED,
    Citation,
    Grounding,
    check,
    cited_numbers,
)
from jurisgraph.errors import BudgetExhausted, UpstreamError
from jurisgraph.metrics import RAG_LATENCY
from jurisgraph.runtime import NameIndexCache, ReportIndexCache, Retrieval

__all__ = ["MAX_QUESTION", "AskOptions", "AskResult", "ask", "configured_chat", "stream"]

log = structlog.get_logger(__name__)
FALLBACK_ERRORS = (BudgetExhausted, UpstreamError)


@dataclass
class AskResult:
    """A cited answer with its grounding check, reasoning chain and audit id."""

    query_id: int
    question: str
    requested_mode: str
    mode: str
    answer: str
    answer_kind: str
    note: str | None
    sources: list[Citation]
    grounding: Grounding
    entities: list[dict[str, Any]]
    communities: list[str]
    reasoning_chain: list[dict[str, Any]]
    llm_calls: int = 0
    model: str | None = None
    prompt_versions: dict[str, str] = field(default_factory=dict)
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    duration_ms: int = 0
    graph: dict[str, Any] | None = None

    @property
    def citations(self) -> list[Citation]:
        """The sources the answer cites, by number."""
        cited = set(self.grounding.cited)
        return [c for c in self.sources if c.n in cited]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "id": self.query_id,
            "question": self.question,
            "requested_mode": self.requested_mode,
            "mode": self.mode,
            "answer": self.answer,
            "answer_kind": self.answer_kind,
            "note": self.note,
            "citations": [c.as_dict() for c in self.citations],
            "sources": [c.as_dict() for c in self.sources],
            "grounding": self.grounding.as_dict(),
            "entities": self.entities,
            "communities": self.communities,
            "reasoning_chain": self.reasoning_chain,
            "llm_calls": self.llm_calls,
            "model": self.model,
            "prompt_versions": self.prompt_versions,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "cost_usd": self.cost_usd,
            "duration_ms": self.duration_ms,
            "graph": self.graph,
        }


def _fallback_note(exc: Exception) -> str:
    return NOTE_BUDGET if isinstance(exc, BudgetExhausted) else NOTE_FAILED


def _finish(
    session: Session, gathered: Gathered, answered: Answered, user_id: int | None, fallback: str | None
) -> AskResult:
    """Grounding check, the last steps of the chain, the audit row and the result."""
    since = time.perf_counter()
    grounding = check(answered.text, len(answered.citations))
    calls = gathered.calls
    gathered.steps.append(
        {
            "step": "selection",
            "sources": len(answered.citations),
            "chars": sum(len(c.source.text) for c in answered.citations),
            "budget_chars": gathered.options.budget_chars,
            "estimated_tokens": sum(len(c.source.text) for c in answered.citations) // 4,
        }
    )
    gathered.steps.append(
        {
            "step": "answer",
            "kind": answered.kind,
            "llm_calls": calls.count,
            "map_calls": answered.map_calls,
            "fallback": fallback,
            "citations": len(cited_numbers(answered.text)),
            **answered.details,
        }
    )
    gathered.step(
        "grounding",
        since,
        ok=grounding.ok,
        cited=len(grounding.cited),
        unknown=list(grounding.unknown),
        uncited_sentences=len(grounding.uncited_sentences),
        sentences=grounding.sentences,
    )
    duration = int((time.perf_counter() - gathered.started) * 1000)
    versions = {"extractive": COMPOSER_VERSION} if answered.kind == "extractive" else {}
    versions.update(calls.prompt_versions())
    entities = [
        {"key": e.key, "name": e.name, "type": e.type, "how": e.how, "score": e.score}
        for e in gathered.linked
    ]
    communities = [r.community_id for r in gathered.reports]
    local = gathered.local
    model = ", ".join(calls.models()) or None
    query_id = audit.record(
        session,
        {
            "user_id": user_id,
            "workspace_ids": gathered.workspaces,
            "query": gathered.question,
            "query_type": str(gathered.mode),
            "response": answered.text,
            "answer_kind": answered.kind,
            "query_entities": entities,
            "sources_used": [_audit_source(c) for c in answered.citations if c.n in set(grounding.cited)],
            "communities_used": communities,
            "total_chunks_retrieved": len(gathered.passages) + (len(local.entity_sources) if local else 0),
            "total_entities_retrieved": len(local.view.nodes) if local else 0,
            "reasoning_chain": gathered.steps,
            "model": model[:128] if model else None,
            "prompt_versions": versions,
            "tokens_in": calls.tokens_in,
            "tokens_out": calls.tokens_out,
            "cost_usd": calls.cost_usd,
            "duration_ms": duration,
        },
    )
    log.info(
        "ask",
        query_id=query_id,
        mode=str(gathered.mode),
        kind=answered.kind,
        llm_calls=calls.count,
        ms=duration,
    )
    return AskResult(
        query_id=query_id,
        question=gathered.question,
        requested_mode=str(gathered.requested),
        mode=str(gathered.mode),
        answer=answered.text,
        answer_kind=answered.kind,
        note=answered.note,
        sources=answered.citations,
        grounding=grounding,
        entities=entities,
        communities=communities,
        reasoning_chain=gathered.steps,
        llm_calls=calls.count,
        model=model,
        prompt_versions=versions,
        tokens_in=calls.tokens_in,
        tokens_out=calls.tokens_out,
        cost_usd=calls.cost_usd,
        duration_ms=duration,
        graph=graph_mode.table(gathered.graph) if gathered.graph is not None else None,
    )


def _audit_source(citation: Citation) -> dict[str, Any]:
    data = citation.as_dict()
    data["text"] = data["text"][:300]
    return data


def ask(
    session: Session,
    retrieval: Retrieval,
    names: NameIndexCache,
    question: str,
    workspace_ids: Sequence[int],
    options: AskOptions | None = None,
    *,
    chat: ChatModel | None = None,
    user_id: int | None = None,
    reports: ReportIndexCache | None = None,
) -> AskResult:
    """Answer ``question`` over the readable workspaces; the audit row is added to ``session``."""
    started = time.perf_counter()
    gathered = gather(
        session, retrieval, names, question, workspace_ids, options or AskOptions(), chat, reports
    )
    outcome = "failed"
    try:
        result = _answer(session, gathered, chat, user_id)
        outcome = "ok"
        return result
    finally:
        RAG_LATENCY.labels(str(gathered.mode), outcome).observe(time.perf_counter() - started)


def _answer(session: Session, gathered: Gathered, chat: ChatModel | None, user_id: int | None) -> AskResult:
    fallback = None
    if chat is None or gathered.graph is not None:
        answered = answering.extractive(gathered, NOTE)
    else:
        try:
            answered = answering.generated(gathered, chat)
        except FALLBACK_ERRORS as exc:
            log.warning("ask_llm_fallback", error=str(exc), code=getattr(exc, "code", ""))
            fallback = getattr(exc, "code", type(exc).__name__)
            answered = answering.extractive(gathered, _fallback_note(exc))
    return _finish(session, gathered, answered, user_id, fallback)


def _deltas(text: str) -> Iterator[str]:
    """An extractive answer cut into line deltas (what the stream sends without an LLM)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        yield line + ("\n" if i < len(lines) - 1 else "")


def stream(
    session: Session,
    retrieval: Retrieval,
    names: NameIndexCache,
    question: str,
    workspace_ids: Sequence[int],
    options: AskOptions | None = None,
    *,
    chat: ChatModel | None = None,
    user_id: int | None = None,
    reports: ReportIndexCache | None = None,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Events of an answer: ``meta`` (mode, entities), ``sources`` (the numbered context),
    ``delta`` (text), ``fallback`` (the LLM gave way to the extractive answer; drop earlier
    deltas), then ``done`` with the whole result (citations, grounding, audit id). ``session``
    must stay open until the last event: the audit row is added to it at the end."""
    started = time.perf_counter()
    gathered = gather(
        session, retrieval, names, question, workspace_ids, options or AskOptions(), chat, reports
    )
    yield (
        "meta",
        {
            "mode": str(gathered.mode),
            "requested_mode": str(gathered.requested),
            "entities": [{"key": e.key, "name": e.name, "type": e.type} for e in gathered.linked],
        },
    )
    answered: Answered | None = None
    fallback = None
    if chat is not None and gathered.graph is None:
        try:
            planned = answering.plan(gathered, chat)
            yield "sources", {"sources": [c.as_dict() for c in planned.citations]}
            parts: list[str] = []
            for delta in answering.streamed(gathered, chat, planned):
                parts.append(delta)
                yield "delta", {"text": delta}
            note = answering.generated_note(chat)
            answered = Answered(
                "".join(parts).strip(), "generative", note, planned.citations, planned.map_calls
            )
        except FALLBACK_ERRORS as exc:
            fallback = getattr(exc, "code", type(exc).__name__)
            yield "fallback", {"reason": fallback, "note": _fallback_note(exc)}
            answered = answering.extractive(gathered, _fallback_note(exc))
            yield "sources", {"sources": [c.as_dict() for c in answered.citations]}
            for delta in _deltas(answered.text):
                yield "delta", {"text": delta}
    if answered is None:
        answered = answering.extractive(gathered, NOTE)
        yield "sources", {"sources": [c.as_dict() for c in answered.citations]}
        for delta in _deltas(answered.text):
            yield "delta", {"text": delta}
    finished = _finish(session, gathered, answered, user_id, fallback)
    RAG_LATENCY.labels(str(gathered.mode), "ok").observe(time.perf_counter() - started)
    yield "done", finished.as_dict()

"""The optional LLM fallback of the question parser: the same typed graph query, as validated JSON.

Asked only when the rules cannot map a question that has the shape of a list or count (or the
``graph`` mode was asked for) and an LLM is configured. The reply is validated against
:class:`GraphQueryReply` (extra fields forbidden at every level) through the gateway's
structured calls (one repair attempt); its anchors must be entities of the caller's
workspaces. Never SQL: a reply is data the graph service runs like any typed query. Any
failure (invalid reply, unknown anchor, timeout, upstream error, budget) returns the reason,
and the question goes on to the other modes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar, runtime_checkable

import pydantic
import structlog
from pydantic import BaseModel, ConfigDict, Field

from jurisgraph.db import Session
from jurisgraph.engine.llm import ChatMessage, ChatRequest, ChatResponse, Purpose
from jurisgraph.engine.query.generate import CallLog
from jurisgraph.engine.query.graphq import GraphQuery, Parsed
from jurisgraph.errors import BudgetExhausted, JurisgraphError
from jurisgraph.gateway.core import Observer
from jurisgraph.graph import query_repository as repo
from jurisgraph.prompts import graph_query as prompt

log = structlog.get_logger(__name__)
M = TypeVar("M", bound=pydantic.BaseModel)
MAX_OUTPUT_TOKENS = 400


@runtime_checkable
class StructuredChat(Protocol):
    """A chat model that answers with validated JSON (the gateway, or a caller-attributed view)."""

    def complete_json(
        self, request: ChatRequest, model_cls: type[M], *, observe: Observer | None = None
    ) -> M | None: ...


class GraphQueryReply(BaseModel):
    """What the LLM answers: a typed graph query, or null when the question is not one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    query: GraphQuery | None = None
    reason: str = Field("", max_length=400)


@dataclass(frozen=True, slots=True)
class Fallback:
    """The outcome: the validated query (None on any failure) and why."""

    query: GraphQuery | None
    reason: str
    ms: float = 0.0

    def describe(self) -> dict[str, object]:
        """JSON-ready data for the reasoning chain."""
        data: dict[str, object] = {"used": True, "valid": self.query is not None, "reason": self.reason}
        if self.query is not None:
            data["query"] = self.query.describe()
        data["ms"] = round(self.ms, 1)
        return data


def wanted(parsed: Parsed, explicit: bool) -> bool:
    """Whether to ask the LLM: the rules did not map a list/count question (any question in
    ``graph`` mode)."""
    return parsed.query is None and (parsed.shaped or explicit)


def request(question: str, parsed: Parsed) -> ChatRequest:
    """The structured request (the reply's JSON schema is sent)."""
    return ChatRequest(
        purpose=Purpose.CLASSIFY,
        messages=(
            ChatMessage("system", prompt.SYSTEM),
            ChatMessage("user", prompt.user(question, parsed.anchors)),
        ),
        prompt_version=prompt.VERSION,
        temperature=0.0,
        max_output_tokens=MAX_OUTPUT_TOKENS,
        json_schema=GraphQueryReply.model_json_schema(),
    )


def ask_llm(
    session: Session,
    workspace_ids: Sequence[int],
    chat: StructuredChat,
    question: str,
    parsed: Parsed,
    calls: CallLog | None = None,
) -> Fallback:
    """The LLM's typed query for ``question``, checked against the schema and the graph."""
    started = time.perf_counter()

    def observe(sent: ChatRequest, reply: ChatResponse) -> None:
        if calls is not None:
            calls.record(sent, reply, reply.latency_ms)

    def done(query: GraphQuery | None, reason: str) -> Fallback:
        outcome = Fallback(query, reason, (time.perf_counter() - started) * 1000)
        log.info("graph_query.llm_fallback", valid=query is not None, reason=reason)
        return outcome

    try:
        reply = chat.complete_json(request(question, parsed), GraphQueryReply, observe=observe)
    except BudgetExhausted as exc:
        return done(None, f"LLM: orçamento esgotado ({exc.message})")
    except (JurisgraphError, TimeoutError) as exc:
        return done(None, f"LLM indisponível ({type(exc).__name__}: {exc})"[:300])
    if reply is None:
        return done(None, "LLM: resposta fora do esquema da consulta tipada, mesmo após uma correção")
    if reply.query is None:
        return done(None, f"LLM: não é uma consulta ao grafo ({reply.reason})"[:300])
    query = reply.query
    known = repo.nodes(session, list(workspace_ids), query.anchors) if query.anchors else {}
    unknown = [a for a in query.anchors if a not in known]
    if unknown:
        return done(None, f"LLM: âncora(s) fora do grafo: {', '.join(unknown)}")
    return done(query, f"consulta tipada emitida pelo LLM: {query.relation.value}, {query.aggregate.value}")

"""LLM steps of a question through the chat model port: mode classification, the cited answer
(whole or streamed), and the map and reduce steps of a global answer.

Every call goes through a :class:`CallLog`, which counts calls, tokens, cost and prompt
versions for the audit trail. Provider errors (and ``BudgetExhausted``) propagate: the caller
decides to fall back to the extractive answer.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from pydantic import BaseModel, Field, ValidationError

from jurisgraph.engine.llm import ChatMessage, ChatModel, ChatRequest, ChatResponse, Purpose
from jurisgraph.engine.query.context import estimate_tokens
from jurisgraph.engine.query.types import Mode
from jurisgraph.prompts import answer as answer_prompt
from jurisgraph.prompts import global_map, global_reduce, mode_classifier

log = structlog.get_logger(__name__)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class LlmCall:
    """One call as recorded in the audit trail."""

    purpose: str
    model: str
    prompt_version: str
    tokens_in: int
    tokens_out: int
    cost_usd: float
    latency_ms: int


@dataclass
class CallLog:
    """The LLM calls of one question."""

    calls: list[LlmCall] = field(default_factory=list)

    def record(self, request: ChatRequest, response: ChatResponse, latency_ms: int) -> None:
        """Add a finished call."""
        cost = response.extra.get("cost_usd", 0.0) if isinstance(response.extra, dict) else 0.0
        self.calls.append(
            LlmCall(
                str(request.purpose),
                response.model,
                request.prompt_version,
                response.tokens_in,
                response.tokens_out,
                float(cost or 0.0),
                latency_ms,
            )
        )

    @property
    def count(self) -> int:
        """Number of calls."""
        return len(self.calls)

    @property
    def tokens_in(self) -> int:
        """Prompt tokens of every call."""
        return sum(c.tokens_in for c in self.calls)

    @property
    def tokens_out(self) -> int:
        """Reply tokens of every call."""
        return sum(c.tokens_out for c in self.calls)

    @property
    def cost_usd(self) -> float:
        """Cost reported for every call."""
        return round(sum(c.cost_usd for c in self.calls), 6)

    def models(self) -> list[str]:
        """Distinct models used, in order of first use."""
        return list(dict.fromkeys(c.model for c in self.calls))

    def prompt_versions(self) -> dict[str, str]:
        """Prompt version used for each purpose."""
        return {c.purpose: c.prompt_version for c in self.calls}


def _request(purpose: Purpose, system: str, user: str, version: str, **extra: Any) -> ChatRequest:
    messages = (ChatMessage("system", system), ChatMessage("user", user))
    return ChatRequest(purpose=purpose, messages=messages, prompt_version=version, **extra)


def _complete(chat: ChatModel, request: ChatRequest, calls: CallLog) -> ChatResponse:
    started = time.perf_counter()
    response = chat.complete(request)
    calls.record(request, response, int((time.perf_counter() - started) * 1000))
    return response


def _json(text: str) -> Any:
    try:
        return json.loads(_FENCE.sub("", text.strip()))
    except json.JSONDecodeError:
        return None


class _ModeReply(BaseModel):
    mode: Mode
    reason: str = ""


class MapPoint(BaseModel):
    """A point of the map step: text, numbers of the reports it comes from, relevance 0–100."""

    text: str
    sources: list[int] = Field(default_factory=list)
    score: int = Field(0, ge=0, le=100)


class _MapReply(BaseModel):
    points: list[MapPoint] = Field(default_factory=list)


def classify_mode(chat: ChatModel, question: str, calls: CallLog) -> tuple[Mode | None, str]:
    """One call: ``local``, ``global`` or ``naive`` for ``question`` (None on an invalid reply)."""
    request = _request(
        Purpose.CLASSIFY,
        mode_classifier.SYSTEM,
        mode_classifier.user(question),
        mode_classifier.VERSION,
        json_schema=mode_classifier.SCHEMA,
        max_output_tokens=200,
    )
    try:
        reply = _ModeReply.model_validate(_json(_complete(chat, request, calls).text))
    except ValidationError:
        return None, "classificador: resposta inválida"
    if reply.mode not in (Mode.LOCAL, Mode.GLOBAL, Mode.NAIVE):
        return None, "classificador: modo inválido"
    return reply.mode, f"classificador: {reply.reason}".strip()


def answer_request(question: str, context: str) -> ChatRequest:
    """The request of the cited answer over a numbered context."""
    return _request(
        Purpose.ANSWER,
        answer_prompt.SYSTEM,
        answer_prompt.user(question, context),
        answer_prompt.VERSION,
        temperature=0.1,
        max_output_tokens=1500,
    )


def reduce_request(question: str, points: Sequence[MapPoint], context: str) -> ChatRequest:
    """The request of the reduce step of a global answer."""
    listed = "\n".join(
        f"- ({p.score}) {p.text} {''.join(f'[{n}]' for n in p.sources)}".rstrip() for p in points
    )
    return _request(
        Purpose.ANSWER,
        global_reduce.SYSTEM,
        global_reduce.user(question, listed or "(nenhum ponto relevante)", context),
        global_reduce.VERSION,
        temperature=0.1,
        max_output_tokens=1800,
    )


def complete_text(chat: ChatModel, request: ChatRequest, calls: CallLog) -> str:
    """One call; the reply text."""
    return _complete(chat, request, calls).text.strip()


def stream_text(chat: ChatModel, request: ChatRequest, calls: CallLog) -> Iterator[str]:
    """The reply as deltas; the call is recorded when the stream ends, with the totals the
    stream reports (a gateway stream's ``response``; 0 for a cached reply) or, from a plain
    iterator, estimated ones."""
    started = time.perf_counter()
    parts: list[str] = []
    stream = chat.stream(request)
    for delta in stream:
        parts.append(delta)
        yield delta
    text = "".join(parts)
    final = getattr(stream, "response", None)
    if not isinstance(final, ChatResponse):
        final = ChatResponse(
            text=text,
            model=chat.model_for(request.purpose),
            provider=chat.provider,
            tokens_in=sum(estimate_tokens(m.content) for m in request.messages),
            tokens_out=estimate_tokens(text),
        )
    calls.record(request, final, int((time.perf_counter() - started) * 1000))


def map_reports(
    chat: ChatModel, question: str, numbered: Sequence[tuple[int, str]], batch_size: int, calls: CallLog
) -> list[MapPoint]:
    """One call per batch of numbered reports; the points of every batch, most relevant first.

    A point citing no report of its batch is dropped; an invalid reply loses its batch only.
    """
    points: list[MapPoint] = []
    size = max(1, batch_size)
    for start in range(0, len(numbered), size):
        batch = numbered[start : start + size]
        allowed = {n for n, _ in batch}
        text = "\n\n".join(f"[{n}] {body}" for n, body in batch)
        request = _request(
            Purpose.MAP,
            global_map.SYSTEM,
            global_map.user(question, text),
            global_map.VERSION,
            json_schema=global_map.SCHEMA,
            max_output_tokens=1200,
        )
        try:
            reply = _MapReply.model_validate(_json(_complete(chat, request, calls).text))
        except ValidationError:
            log.warning("global_map_invalid_reply", batch=start // size)
            continue
        for point in reply.points:
            cited = [n for n in point.sources if n in allowed]
            if cited and point.score > 0 and point.text.strip():
                points.append(MapPoint(text=point.text.strip(), sources=cited, score=point.score))
    points.sort(key=lambda p: -p.score)
    return points

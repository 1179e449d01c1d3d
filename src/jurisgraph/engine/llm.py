"""The chat model port: what the engine needs from an LLM, whatever the provider.

Providers (Gemini, OpenAI-compatible, none) live in ``jurisgraph.integrations.llm``; the
gateway (retries, limits, cache, ledger, budgets) wraps them in ``jurisgraph.gateway``.
Engine code only sees :class:`ChatModel`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, Protocol

Role = Literal["system", "user", "assistant"]


class Purpose(StrEnum):
    """Why a call is made: each purpose has its own model setting and budget line."""

    EXTRACTION = "extraction"
    SUMMARY = "summary"
    REPORT = "report"
    CLASSIFY = "classify"
    ANSWER = "answer"
    MAP = "map"


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of a conversation."""

    role: Role
    content: str


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """A call to a chat model.

    ``json_schema`` (a JSON Schema dict) asks for a JSON reply matching it; the gateway
    validates the reply. ``prompt_version`` is recorded with the call.
    """

    purpose: Purpose
    messages: Sequence[ChatMessage]
    prompt_version: str
    json_schema: dict[str, Any] | None = None
    temperature: float = 0.0
    max_output_tokens: int = 2048


@dataclass(frozen=True, slots=True)
class ChatResponse:
    """A reply with its token counts as reported by the provider."""

    text: str
    model: str
    provider: str
    tokens_in: int = 0
    tokens_out: int = 0
    cached: bool = False
    latency_ms: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class ChatModel(Protocol):
    """A chat model; raises UpstreamError/RetryableUpstreamError on provider failures."""

    @property
    def provider(self) -> str:
        """Provider name (gemini, openai, none)."""
        ...

    def model_for(self, purpose: Purpose) -> str:
        """The model used for ``purpose``."""
        ...

    def complete(self, request: ChatRequest) -> ChatResponse:
        """One complete reply."""
        ...

    def stream(self, request: ChatRequest) -> Iterator[str]:
        """The reply as text deltas (token counts are recorded by the gateway when it ends)."""
        ...

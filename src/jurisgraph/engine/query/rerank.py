"""The optional reranking step behind a port (off by default).

A :class:`Reranker` reorders retrieved passages before the context is assembled. The LLM
implementation costs one call per question; an invalid or failed reply keeps the
retrieval order, so reranking can never lose a passage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, ValidationError

from jurisgraph.engine.llm import ChatModel, Purpose
from jurisgraph.engine.query.generate import CallLog, _complete, _json, _request
from jurisgraph.prompts import rerank as prompt


class Reranker(Protocol):
    """Orders passages for a question: returns a permutation of ``range(len(texts))``."""

    def order(self, question: str, texts: Sequence[str], calls: CallLog) -> list[int]:
        """Indices of ``texts``, best first."""
        ...


class _Reply(BaseModel):
    ordem: list[int]


class LlmReranker:
    """Asks the chat model for an order; falls back to the given order on any bad reply."""

    def __init__(self, chat: ChatModel, *, max_passages: int = 20) -> None:
        self._chat = chat
        self._max = max_passages

    def order(self, question: str, texts: Sequence[str], calls: CallLog) -> list[int]:
        """One call; numbers out of range or repeated are ignored, missing ones keep their place."""
        head = list(texts[: self._max])
        if len(head) < 2:
            return list(range(len(texts)))
        request = _request(
            Purpose.CLASSIFY,
            prompt.SYSTEM,
            prompt.user(question, head),
            prompt.VERSION,
            json_schema=prompt.SCHEMA,
            max_output_tokens=200,
        )
        try:
            reply = _Reply.model_validate(_json(_complete(self._chat, request, calls).text))
        except ValidationError:
            return list(range(len(texts)))
        return merge_order(reply.ordem, len(head), len(texts))


def merge_order(ranked: Sequence[int], head: int, total: int) -> list[int]:
    """A full permutation from 1-based ``ranked`` numbers of the first ``head`` items."""
    seen: list[int] = []
    for number in ranked:
        index = number - 1
        if 0 <= index < head and index not in seen:
            seen.append(index)
    seen += [i for i in range(head) if i not in seen]
    return seen + list(range(head, total))

"""The chat model used for answers: the LLM gateway, with each call booked to the caller.

Edges pass :meth:`jurisgraph.runtime.Container.configured_gateway` (None without an LLM: the
answers are then extractive).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

import pydantic

from jurisgraph.engine.llm import ChatModel, ChatRequest, ChatResponse, Purpose
from jurisgraph.gateway import CallContext, Gateway
from jurisgraph.gateway.core import Observer

M = TypeVar("M", bound=pydantic.BaseModel)


class AttributedChat:
    """A gateway seen as a :class:`ChatModel` whose calls are booked to a user and workspace."""

    def __init__(
        self, gateway: Gateway, *, user_id: int | None, workspace_id: int | None, job_id: str | None = None
    ) -> None:
        self._gateway = gateway
        self._context = CallContext(job_id=job_id, user_id=user_id, workspace_id=workspace_id)

    @property
    def provider(self) -> str:
        """The provider's name."""
        return self._gateway.provider

    def model_for(self, purpose: Purpose) -> str:
        """The model used for ``purpose``."""
        return self._gateway.model_for(purpose)

    def complete(self, request: ChatRequest) -> ChatResponse:
        """One reply (the gateway applies cache, budgets, retries and the ledger)."""
        return self._gateway.complete(request, context=self._context)

    def complete_json(
        self, request: ChatRequest, model_cls: type[M], *, observe: Observer | None = None
    ) -> M | None:
        """The reply validated as ``model_cls`` (one repair attempt), or None."""
        return self._gateway.complete_json(request, model_cls, context=self._context, observe=observe)

    def stream(self, request: ChatRequest) -> Iterator[str]:
        """The reply as deltas; the returned stream's ``response`` holds the totals at its end."""
        return self._gateway.stream(request, context=self._context)


def configured_chat(
    gateway: Gateway | None,
    *,
    user_id: int | None = None,
    workspace_id: int | None = None,
    job_id: str | None = None,
) -> ChatModel | None:
    """The chat model for answers, or None when answers are extractive (no gateway); ``job_id``
    books the calls to a run (an evaluation run reads its ledger rows back by it)."""
    if gateway is None:
        return None
    return AttributedChat(gateway, user_id=user_id, workspace_id=workspace_id, job_id=job_id)

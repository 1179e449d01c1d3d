"""The chat model used for answers: the LLM gateway when an LLM is configured, else none.

The gateway package is imported lazily, and only when the configured provider is not
``none``, so the default (extractive) path never touches it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import structlog

from jurisgraph.engine.llm import ChatModel, ChatRequest, ChatResponse, Purpose
from jurisgraph.errors import JurisgraphError
from jurisgraph.runtime import Container

log = structlog.get_logger(__name__)


def _gateway(container: Container) -> Any | None:
    """The process's LLM gateway, or None without an LLM (or without the gateway package)."""
    if container.settings.llm.provider == "none":
        return None
    try:
        from jurisgraph.gateway import build_gateway
    except ImportError:
        log.warning("llm_gateway_missing", provider=container.settings.llm.provider)
        return None
    try:
        gateway = build_gateway(container)
    except JurisgraphError as exc:
        log.warning("llm_gateway_unavailable", error=exc.message)
        return None
    return gateway if getattr(gateway, "provider", "none") != "none" else None


class AttributedChat:
    """A gateway seen as a :class:`ChatModel` whose calls are booked to a user and workspace."""

    def __init__(self, gateway: Any, *, user_id: int | None, workspace_id: int | None) -> None:
        self._gateway = gateway
        self._context: Any = None
        try:
            from jurisgraph.gateway import CallContext

            self._context = CallContext(user_id=user_id, workspace_id=workspace_id)
        except ImportError:
            self._context = None

    @property
    def provider(self) -> str:
        """The provider's name."""
        return str(self._gateway.provider)

    def model_for(self, purpose: Purpose) -> str:
        """The model used for ``purpose``."""
        return str(self._gateway.model_for(purpose))

    def complete(self, request: ChatRequest) -> ChatResponse:
        """One reply (the gateway applies cache, budgets, retries and the ledger)."""
        response: ChatResponse = self._gateway.complete(request, context=self._context)
        return response

    def stream(self, request: ChatRequest) -> Iterator[str]:
        """The reply as deltas; the returned stream's ``response`` holds the totals at its end."""
        stream: Iterator[str] = self._gateway.stream(request, context=self._context)
        return stream


def configured_chat(
    container: Container, *, user_id: int | None = None, workspace_id: int | None = None
) -> ChatModel | None:
    """The chat model for answers, or None when answers are extractive (provider ``none``)."""
    gateway = _gateway(container)
    if gateway is None:
        return None
    return AttributedChat(gateway, user_id=user_id, workspace_id=workspace_id)

"""The ``none`` provider: no LLM is configured, so callers answer extractively.

Callers check ``chat_model.provider == "none"`` before asking; a call anyway raises
:class:`LlmNotConfigured` naming the setting to change.
"""

from __future__ import annotations

from jurisgraph.engine.llm import ChatRequest, ChatResponse, Purpose
from jurisgraph.errors import ServiceUnavailable
from jurisgraph.integrations.llm.base import ChatStream

MESSAGE = (
    "no LLM is configured (JURISGRAPH_LLM_PROVIDER=none): answer extractively, or set "
    "JURISGRAPH_LLM_PROVIDER to gemini or openai"
)


class LlmNotConfigured(ServiceUnavailable):
    """A chat call was made while the provider is ``none``."""

    code = "llm_not_configured"


class NoChatModel:
    """:class:`~jurisgraph.engine.llm.ChatModel` of provider ``none``: every call raises."""

    @property
    def provider(self) -> str:
        return "none"

    def model_for(self, purpose: Purpose) -> str:
        return "none"

    def complete(self, request: ChatRequest) -> ChatResponse:
        raise LlmNotConfigured(MESSAGE)

    def stream(self, request: ChatRequest) -> ChatStream:
        raise LlmNotConfigured(MESSAGE)

"""Gemini chat through the google-genai SDK (``generateContent`` / ``streamGenerateContent``).

System messages become the system instruction, assistant messages the ``model`` role. A
request with ``json_schema`` asks for ``application/json`` constrained by that schema. The
SDK's own retries are off: the gateway's policy is the only one. ``tokens_out`` counts the
reply's tokens plus thinking tokens (both are billed as output).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from typing import Any

from google import genai
from google.genai import errors as genai_errors
from google.genai import types as genai_types

from jurisgraph.engine.llm import ChatRequest, ChatResponse, Purpose
from jurisgraph.errors import ConfigError, InvalidInput, UpstreamError
from jurisgraph.integrations.llm.base import ChatStream, PurposeModels, StreamPart
from jurisgraph.integrations.upstream import TransientUpstreamError, status_error
from jurisgraph.kit.retry import transport_errors

DEFAULT_MODEL = "gemini-2.5-flash"


class GeminiChatModel:
    """:class:`~jurisgraph.engine.llm.ChatModel` over the Gemini API; ``base_url`` for proxies and tests."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str = DEFAULT_MODEL,
        models: Mapping[str, str] | None = None,
        base_url: str | None = None,
        api_version: str | None = None,
        timeout: float = 120.0,
    ) -> None:
        if not api_key:
            raise ConfigError("the Gemini chat model needs an API key (GEMINI_API_KEY)")
        self._models = PurposeModels(model, models)
        self._transport_errors = transport_errors()
        options = genai_types.HttpOptions(
            base_url=base_url,
            api_version=api_version,
            timeout=max(1, round(timeout * 1000)),
            retry_options=genai_types.HttpRetryOptions(attempts=1),
        )
        self._client = genai.Client(api_key=api_key, http_options=options)

    @property
    def provider(self) -> str:
        return "gemini"

    def model_for(self, purpose: Purpose) -> str:
        return self._models(purpose)

    def complete(self, request: ChatRequest) -> ChatResponse:
        """One reply; failures raise :class:`TransientUpstreamError` (retryable) or :class:`UpstreamError`."""
        model = self.model_for(request.purpose)
        contents, config = _prepare(request)
        started = time.monotonic()
        try:
            reply = self._client.models.generate_content(model=model, contents=contents, config=config)
        except Exception as exc:
            raise self._error(model, exc) from exc
        tokens_in, tokens_out = _usage(reply)
        return ChatResponse(
            text=_text(reply, model),
            model=model,
            provider=self.provider,
            tokens_in=tokens_in or 0,
            tokens_out=tokens_out or 0,
            latency_ms=round((time.monotonic() - started) * 1000),
        )

    def stream(self, request: ChatRequest) -> ChatStream:
        """The reply as text deltas; a failure to start raises here, not on the first ``next``."""
        model = self.model_for(request.purpose)
        return ChatStream(self._parts(request, model), provider=self.provider, model=model)

    def _parts(self, request: ChatRequest, model: str) -> Iterator[StreamPart]:
        contents, config = _prepare(request)
        try:
            for chunk in self._client.models.generate_content_stream(
                model=model, contents=contents, config=config
            ):
                tokens_in, tokens_out = _usage(chunk)
                yield StreamPart(_text(chunk, model), tokens_in, tokens_out)
        except UpstreamError:
            raise
        except Exception as exc:
            raise self._error(model, exc) from exc

    def _error(self, model: str, exc: Exception) -> Exception:
        what = f"gemini chat (model {model})"
        if isinstance(exc, genai_errors.APIError):
            headers = dict(exc.response.headers) if exc.response is not None else None
            return status_error(what, exc.code, exc.message or exc.status or "", headers)
        if isinstance(exc, self._transport_errors):
            return TransientUpstreamError(f"{what}: {type(exc).__name__}: {exc}")
        if isinstance(exc, json.JSONDecodeError):
            return TransientUpstreamError(f"{what}: reply is not valid JSON ({exc})")
        if isinstance(exc, TypeError | ValueError):
            return UpstreamError(f"{what}: unexpected reply ({exc})")
        return exc

    def close(self) -> None:
        """Release the HTTP connections."""
        self._client.close()


def _prepare(request: ChatRequest) -> tuple[list[genai_types.Content], genai_types.GenerateContentConfig]:
    system = "\n\n".join(m.content for m in request.messages if m.role == "system")
    contents = [
        genai_types.Content(
            role="model" if m.role == "assistant" else "user", parts=[genai_types.Part(text=m.content)]
        )
        for m in request.messages
        if m.role != "system"
    ]
    if not contents:
        raise InvalidInput("gemini chat: a request needs at least one user message")
    options: dict[str, Any] = {
        "temperature": request.temperature,
        "max_output_tokens": request.max_output_tokens,
    }
    if system:
        options["system_instruction"] = system
    if request.json_schema is not None:
        options["response_mime_type"] = "application/json"
        options["response_json_schema"] = request.json_schema
    return contents, genai_types.GenerateContentConfig(**options)


def _usage(reply: genai_types.GenerateContentResponse) -> tuple[int | None, int | None]:
    usage = reply.usage_metadata
    if usage is None:
        return None, None
    out = (usage.candidates_token_count or 0) + (usage.thoughts_token_count or 0)
    return usage.prompt_token_count, out


def _text(reply: genai_types.GenerateContentResponse, model: str) -> str:
    feedback = reply.prompt_feedback
    if feedback is not None and feedback.block_reason is not None:
        raise UpstreamError(f"gemini chat (model {model}): prompt blocked ({feedback.block_reason})")
    if not reply.candidates:
        return ""
    content = reply.candidates[0].content
    parts = content.parts if content is not None and content.parts else []
    return "".join(p.text for p in parts if p.text and not p.thought)

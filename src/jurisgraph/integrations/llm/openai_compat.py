"""Chat through any OpenAI-compatible ``/v1/chat/completions`` endpoint (OpenAI, Ollama, vLLM…).

A request with ``json_schema`` sends ``response_format`` ``json_schema`` (or ``json_object``
with the schema added to the system prompt, for servers without structured outputs).
Streams ask for a final usage chunk (``stream_options.include_usage``). The SDK's own
retries are off (``max_retries=0``): the gateway's policy is the only one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import openai

from jurisgraph.engine.llm import ChatRequest, ChatResponse, Purpose
from jurisgraph.errors import ConfigError, UpstreamError
from jurisgraph.integrations.llm.base import ChatStream, PurposeModels, StreamPart
from jurisgraph.integrations.upstream import TransientUpstreamError, status_error

JsonMode = Literal["json_schema", "json_object"]


class OpenAIChatModel:
    """:class:`~jurisgraph.engine.llm.ChatModel` for an OpenAI-compatible server at ``base_url``."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        models: Mapping[str, str] | None = None,
        api_key: str = "",
        timeout: float = 120.0,
        json_mode: JsonMode = "json_schema",
    ) -> None:
        if not base_url:
            raise ConfigError("the OpenAI-compatible chat model needs a base URL (OPENAI_BASE_URL)")
        if json_mode not in ("json_schema", "json_object"):
            raise ConfigError(f"unknown JSON mode {json_mode!r}; expected json_schema or json_object")
        self._models = PurposeModels(model, models)
        self.json_mode: JsonMode = json_mode
        self._client = openai.OpenAI(
            base_url=base_url, api_key=api_key or "unused", timeout=timeout, max_retries=0
        )

    @property
    def provider(self) -> str:
        return "openai"

    def model_for(self, purpose: Purpose) -> str:
        return self._models(purpose)

    def complete(self, request: ChatRequest) -> ChatResponse:
        """One reply; failures raise :class:`TransientUpstreamError` (retryable) or :class:`UpstreamError`."""
        model = self.model_for(request.purpose)
        started = time.monotonic()
        try:
            reply = self._client.chat.completions.create(**self._arguments(request, model))
        except Exception as exc:
            raise _error(model, exc) from exc
        if not reply.choices:
            raise UpstreamError(f"openai-compatible chat (model {model}): reply has no choices")
        message = reply.choices[0].message
        usage = reply.usage
        return ChatResponse(
            text=message.content or "",
            model=model,
            provider=self.provider,
            tokens_in=usage.prompt_tokens if usage else 0,
            tokens_out=usage.completion_tokens if usage else 0,
            latency_ms=round((time.monotonic() - started) * 1000),
        )

    def stream(self, request: ChatRequest) -> ChatStream:
        """The reply as text deltas; a failure to start raises here, not on the first ``next``."""
        model = self.model_for(request.purpose)
        return ChatStream(self._parts(request, model), provider=self.provider, model=model)

    def _parts(self, request: ChatRequest, model: str) -> Iterator[StreamPart]:
        arguments = self._arguments(request, model)
        try:
            chunks = self._client.chat.completions.create(
                **arguments, stream=True, stream_options={"include_usage": True}
            )
            with chunks:
                for chunk in chunks:
                    text = "".join(c.delta.content or "" for c in chunk.choices if c.delta is not None)
                    usage = chunk.usage
                    if usage is not None:
                        yield StreamPart(text, usage.prompt_tokens, usage.completion_tokens)
                    elif text:
                        yield StreamPart(text)
        except UpstreamError:
            raise
        except Exception as exc:
            raise _error(model, exc) from exc

    def _arguments(self, request: ChatRequest, model: str) -> dict[str, Any]:
        messages: list[dict[str, str]] = [{"role": m.role, "content": m.content} for m in request.messages]
        arguments: dict[str, Any] = {
            "model": model,
            "temperature": request.temperature,
            "max_tokens": request.max_output_tokens,
        }
        schema = request.json_schema
        if schema is not None and self.json_mode == "json_schema":
            arguments["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": _schema_name(schema), "schema": schema},
            }
        elif schema is not None:
            arguments["response_format"] = {"type": "json_object"}
            note = "Answer with JSON only, matching this JSON Schema:\n" + json.dumps(
                schema, ensure_ascii=False
            )
            messages = [{"role": "system", "content": note}, *messages]
        arguments["messages"] = messages
        return arguments

    def close(self) -> None:
        """Release the HTTP connections."""
        self._client.close()


def _schema_name(schema: Mapping[str, Any]) -> str:
    title = str(schema.get("title") or "reply")
    name = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in title)
    return name[:64] or "reply"


def _error(model: str, exc: Exception) -> Exception:
    what = f"openai-compatible chat (model {model})"
    if isinstance(exc, openai.APIStatusError):
        return status_error(what, exc.status_code, _detail(exc), dict(exc.response.headers))
    if isinstance(exc, openai.APIConnectionError):
        return TransientUpstreamError(f"{what}: {type(exc).__name__}: {exc}")
    if isinstance(exc, json.JSONDecodeError):
        return TransientUpstreamError(f"{what}: reply is not valid JSON ({exc})")
    if isinstance(exc, openai.APIResponseValidationError | TypeError | ValueError):
        return UpstreamError(f"{what}: unexpected reply ({exc})")
    return exc


def _detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
    return str(exc.message)[:300]

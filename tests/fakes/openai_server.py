"""Local OpenAI-protocol server: ``POST /v1/embeddings`` and ``POST /v1/chat/completions``.

Embeddings by default are :func:`pseudo_vector` of each input, ``dimensions`` wide when the
request asks for it, else ``dim``; ``encoding_format: base64`` is honoured. Requests must
carry ``Authorization: Bearer <api_key>``. The chat route answers 501 until replies are
scripted (:meth:`FakeOpenAIServer.answer_chat`) or a responder is set (``chat_responder``);
a request with ``stream: true`` gets server-sent chunks, with a usage chunk when
``stream_options.include_usage`` is set.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import numpy as np

from tests.fakes.protocol_server import (
    ChatTurn,
    ProtocolServer,
    Recorded,
    Reply,
    pseudo_vector,
    split_text,
    sse_body,
)

EMBEDDINGS = "embeddings"
CHAT = "chat_completions"
MAX_INPUTS = 2048


def error_reply(status: int, message: str, *, kind: str = "invalid_request_error", **headers: str) -> Reply:
    """An error in OpenAI's shape."""
    return Reply(status, {"error": {"message": message, "type": kind, "param": None, "code": None}}, headers)


def embedding_reply(vectors: list[list[float]], model: str, *, base64_format: bool = False) -> Reply:
    data: list[dict[str, Any]] = []
    for i, vector in enumerate(vectors):
        value: Any = vector
        if base64_format:
            value = base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")
        data.append({"object": "embedding", "index": i, "embedding": value})
    usage = {"prompt_tokens": len(vectors), "total_tokens": len(vectors)}
    return Reply(200, {"object": "list", "data": data, "model": model, "usage": usage})


def chat_reply(turn: ChatTurn, model: str) -> Reply:
    """A complete ``chat.completion`` carrying ``turn`` and its usage."""
    usage = {
        "prompt_tokens": turn.tokens_in,
        "completion_tokens": turn.tokens_out,
        "total_tokens": turn.tokens_in + turn.tokens_out,
    }
    choice = {"index": 0, "message": {"role": "assistant", "content": turn.text}, "finish_reason": "stop"}
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [choice],
        "usage": usage,
    }
    return Reply(200, body)


def chat_stream_reply(turn: ChatTurn, model: str, *, include_usage: bool) -> Reply:
    """``turn`` as ``chat.completion.chunk`` events, a usage chunk when asked, then ``[DONE]``."""
    head = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model}
    events: list[Any] = []
    for piece in split_text(turn.text):
        events.append({**head, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
    events.append({**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    if include_usage:
        usage = {
            "prompt_tokens": turn.tokens_in,
            "completion_tokens": turn.tokens_out,
            "total_tokens": turn.tokens_in + turn.tokens_out,
        }
        events.append({**head, "choices": [], "usage": usage})
    return Reply(200, sse_body(events, done=True), {"Content-Type": "text/event-stream"})


def answer(request: Recorded, turn: ChatTurn) -> Reply:
    """``turn`` in the shape ``request`` asked for (streamed or complete)."""
    body = request.body if isinstance(request.body, dict) else {}
    model = str(body.get("model") or "fake-chat")
    if body.get("stream"):
        options = body.get("stream_options") or {}
        return chat_stream_reply(turn, model, include_usage=bool(options.get("include_usage")))
    return chat_reply(turn, model)


class FakeOpenAIServer(ProtocolServer):
    """OpenAI-compatible server on 127.0.0.1 with scriptable faults."""

    def __init__(self, *, dim: int = 64, api_key: str = "test-key") -> None:
        super().__init__()
        self.dim = dim
        self.api_key = api_key
        self.chat_responder: Callable[[Recorded], ChatTurn] | None = None
        self.add_route(EMBEDDINGS, "POST", r"/v1/embeddings", self._embeddings)
        self.add_route(CHAT, "POST", r"/v1/chat/completions", self._chat)

    @property
    def base_url(self) -> str:
        """What to give the SDK as ``base_url``."""
        return self.url + "/v1"

    @staticmethod
    def inputs(request: Recorded) -> list[str]:
        """The texts of an embeddings request."""
        raw = request.body.get("input") if isinstance(request.body, dict) else None
        return [raw] if isinstance(raw, str) else list(raw or [])

    def _authorised(self, request: Recorded) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.api_key}"

    def _embeddings(self, request: Recorded) -> Reply:
        if not self._authorised(request):
            return error_reply(401, "Incorrect API key provided.", kind="invalid_api_key")
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            return error_reply(400, "you must provide a model parameter")
        texts = self.inputs(request)
        if not texts or not all(isinstance(t, str) and t for t in texts):
            return error_reply(400, "'input' must be a non-empty string or array of non-empty strings")
        if len(texts) > MAX_INPUTS:
            return error_reply(400, f"'input' must have at most {MAX_INPUTS} items")
        dim = int(body.get("dimensions") or self.dim)
        vectors = [pseudo_vector(t, dim) for t in texts]
        return embedding_reply(vectors, body["model"], base64_format=body.get("encoding_format") == "base64")

    @staticmethod
    def chat_messages(request: Recorded) -> list[dict[str, Any]]:
        """The messages of a chat request."""
        body = request.body if isinstance(request.body, dict) else {}
        return [m for m in body.get("messages") or [] if isinstance(m, dict)]

    def _chat(self, request: Recorded) -> Reply:
        if not self._authorised(request):
            return error_reply(401, "Incorrect API key provided.", kind="invalid_api_key")
        if not self.chat_messages(request):
            return error_reply(400, "'messages' must be a non-empty array")
        if self.chat_responder is None:
            return error_reply(501, "no chat completion scripted for this test", kind="server_error")
        return answer(request, self.chat_responder(request))

    def answer_chat(self, *turns: ChatTurn) -> None:
        """Queue chat replies, each served streamed or complete as its request asks."""

        def responder(turn: ChatTurn) -> Callable[[Recorded], Reply]:
            return lambda request: self._check_then(request, turn)

        self.script(CHAT, *(responder(t) for t in turns))

    def _check_then(self, request: Recorded, turn: ChatTurn) -> Reply:
        if not self._authorised(request):
            return error_reply(401, "Incorrect API key provided.", kind="invalid_api_key")
        return answer(request, turn)

    # -- fault helpers -------------------------------------------------------------------
    def rate_limit(self, times: int, *, retry_after: str = "0.2", route: str = EMBEDDINGS) -> None:
        self.script_times(
            route,
            times,
            error_reply(429, "Rate limit reached", kind="rate_limit", **{"Retry-After": retry_after}),
        )

    def server_error(self, times: int, status: int = 500, *, route: str = EMBEDDINGS) -> None:
        self.script_times(route, times, error_reply(status, "The server had an error", kind="server_error"))

    def slow(self, times: int, seconds: float, *, route: str = EMBEDDINGS) -> None:
        self.script_times(route, times, Reply(delay=seconds))

    def malformed(self, times: int) -> None:
        self.script_times(EMBEDDINGS, times, Reply(200, b'{"object": "list", "data": [{"embedding": [0.1,'))

    def wrong_dimension(self, times: int, dim: int) -> None:
        def reply(request: Recorded) -> Reply:
            texts = self.inputs(request)
            return embedding_reply([pseudo_vector(t, dim) for t in texts], "fake")

        self.script_times(EMBEDDINGS, times, reply)

    def missing_vectors(self, times: int, drop: int = 1) -> None:
        def reply(request: Recorded) -> Reply:
            texts = self.inputs(request)[drop:]
            return embedding_reply([pseudo_vector(t, self.dim) for t in texts], "fake")

        self.script_times(EMBEDDINGS, times, reply)

"""Local Gemini-protocol server (the REST API that google-genai speaks).

Routes (any API version prefix, e.g. ``/v1`` or ``/v1beta``):
``POST /{version}/models/{model}:batchEmbedContents`` and ``:embedContent``;
``:generateContent`` / ``:streamGenerateContent`` answer 501 until replies are scripted
(:meth:`FakeGeminiServer.answer_chat`) or a responder is set (``chat_responder``); a stream
is server-sent ``GenerateContentResponse`` chunks, the last one carrying the usage.
Like the real API, an embedding is ``outputDimensionality`` wide, else 3072; a batch holds at
most 100 requests whose ``model`` must match the path; the key comes in ``x-goog-api-key``
(or ``?key=``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.protocol_server import (
    ChatTurn,
    ProtocolServer,
    Recorded,
    Reply,
    pseudo_vector,
    split_text,
    sse_body,
)

BATCH = "batch_embed"
SINGLE = "embed"
GENERATE = "generate"
API_DEFAULT_DIM = 3072
MAX_BATCH = 100
TASK_TYPES = frozenset(
    {
        "TASK_TYPE_UNSPECIFIED",
        "RETRIEVAL_QUERY",
        "RETRIEVAL_DOCUMENT",
        "SEMANTIC_SIMILARITY",
        "CLASSIFICATION",
        "CLUSTERING",
        "QUESTION_ANSWERING",
        "FACT_VERIFICATION",
        "CODE_RETRIEVAL_QUERY",
    }
)
_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_MODEL_PATH = r"/(?P<version>v[0-9a-z]+)/models/(?P<model>[^/:]+)"


def error_reply(status: int, message: str, **headers: str) -> Reply:
    """An error in Google's shape."""
    name = _STATUS_NAMES.get(status, "UNKNOWN")
    return Reply(status, {"error": {"code": status, "message": message, "status": name}}, headers)


def content_text(content: Any) -> str:
    """The text of a ``Content`` object (its text parts joined)."""
    parts = content.get("parts", []) if isinstance(content, dict) else []
    return "".join(p.get("text", "") for p in parts if isinstance(p, dict))


def generate_body(text: str, model: str, usage: dict[str, int] | None) -> dict[str, Any]:
    """A ``GenerateContentResponse`` holding ``text`` (and ``usageMetadata`` when given)."""
    candidate = {"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP", "index": 0}
    body: dict[str, Any] = {"candidates": [candidate], "modelVersion": model}
    if usage is not None:
        body["usageMetadata"] = usage
    return body


def usage_metadata(turn: ChatTurn, thoughts: int = 0) -> dict[str, int]:
    usage = {
        "promptTokenCount": turn.tokens_in,
        "candidatesTokenCount": turn.tokens_out,
        "totalTokenCount": turn.tokens_in + turn.tokens_out + thoughts,
    }
    if thoughts:
        usage["thoughtsTokenCount"] = thoughts
    return usage


def answer(request: Recorded, turn: ChatTurn, *, thoughts: int = 0) -> Reply:
    """``turn`` as the complete reply or, for ``streamGenerateContent``, as server-sent chunks."""
    model = request.params.get("model", "fake")
    usage = usage_metadata(turn, thoughts)
    if ":streamGenerateContent" not in request.path:
        return Reply(200, generate_body(turn.text, model, usage))
    pieces = split_text(turn.text)
    events = [generate_body(p, model, None) for p in pieces[:-1]]
    events.append(generate_body(pieces[-1], model, usage))
    return Reply(200, sse_body(events), {"Content-Type": "text/event-stream"})


class FakeGeminiServer(ProtocolServer):
    """Gemini-compatible server on 127.0.0.1 with scriptable faults."""

    def __init__(self, *, api_key: str = "test-key") -> None:
        super().__init__()
        self.api_key = api_key
        self.chat_responder: Callable[[Recorded], ChatTurn] | None = None
        self.add_route(BATCH, "POST", _MODEL_PATH + r":batchEmbedContents", self._batch)
        self.add_route(SINGLE, "POST", _MODEL_PATH + r":embedContent", self._single)
        self.add_route(GENERATE, "POST", _MODEL_PATH + r":(?:stream)?[gG]enerateContent", self._generate)

    @staticmethod
    def embed_requests(request: Recorded) -> list[dict[str, Any]]:
        """The per-text requests of a batch call (or the single request of ``embedContent``)."""
        body = request.body if isinstance(request.body, dict) else {}
        if request.route == SINGLE:
            return [body]
        items = body.get("requests")
        return [r for r in items if isinstance(r, dict)] if isinstance(items, list) else []

    @classmethod
    def texts(cls, request: Recorded) -> list[str]:
        return [content_text(r.get("content")) for r in cls.embed_requests(request)]

    def _check(self, request: Recorded) -> Reply | None:
        key = request.headers.get("x-goog-api-key") or _query_key(request.path)
        if key != self.api_key:
            return error_reply(400, "API key not valid. Please pass a valid API key.")
        return None

    def _vectors(self, request: Recorded) -> list[list[float]] | Reply:
        items = self.embed_requests(request)
        if not items:
            return error_reply(400, "* BatchEmbedContentsRequest.requests: contents is not specified")
        if len(items) > MAX_BATCH:
            return error_reply(400, f"* BatchEmbedContentsRequest.requests: at most {MAX_BATCH} requests")
        vectors = []
        for item in items:
            model = item.get("model")
            if model is not None and model != f"models/{request.params['model']}":
                return error_reply(400, f"Model {model} does not match the model in the URL")
            task = item.get("taskType", "TASK_TYPE_UNSPECIFIED")
            if task not in TASK_TYPES:
                return error_reply(400, f"Invalid value at 'task_type' ({task})")
            text = content_text(item.get("content"))
            if not text:
                return error_reply(400, "* EmbedContentRequest.content: contents is not specified")
            dim = int(item.get("outputDimensionality") or API_DEFAULT_DIM)
            vectors.append(pseudo_vector(text, dim))
        return vectors

    def _batch(self, request: Recorded) -> Reply:
        vectors = self._check(request) or self._vectors(request)
        if isinstance(vectors, Reply):
            return vectors
        return Reply(200, {"embeddings": [{"values": v} for v in vectors]})

    def _single(self, request: Recorded) -> Reply:
        vectors = self._check(request) or self._vectors(request)
        if isinstance(vectors, Reply):
            return vectors
        return Reply(200, {"embedding": {"values": vectors[0]}})

    @staticmethod
    def generate_request(request: Recorded) -> dict[str, Any]:
        """The JSON body of a generateContent request."""
        return request.body if isinstance(request.body, dict) else {}

    def _generate(self, request: Recorded) -> Reply:
        problem = self._check(request)
        if problem is not None:
            return problem
        if not self.generate_request(request).get("contents"):
            return error_reply(400, "* GenerateContentRequest.contents: contents is not specified")
        if self.chat_responder is None:
            return error_reply(501, "no generateContent reply scripted for this test")
        return answer(request, self.chat_responder(request))

    def answer_chat(self, *turns: ChatTurn, thoughts: int = 0) -> None:
        """Queue generateContent replies (``thoughts`` thinking tokens reported with each)."""

        def responder(turn: ChatTurn) -> Callable[[Recorded], Reply]:
            return lambda request: self._check(request) or answer(request, turn, thoughts=thoughts)

        self.script(GENERATE, *(responder(t) for t in turns))

    # -- fault helpers -------------------------------------------------------------------
    def rate_limit(self, times: int, *, retry_after: str = "0.2", route: str = BATCH) -> None:
        self.script_times(
            route, times, error_reply(429, "Resource has been exhausted", **{"Retry-After": retry_after})
        )

    def server_error(self, times: int, status: int = 500, *, route: str = BATCH) -> None:
        self.script_times(route, times, error_reply(status, "An internal error has occurred."))

    def slow(self, times: int, seconds: float, *, route: str = BATCH) -> None:
        self.script_times(route, times, Reply(delay=seconds))

    def malformed(self, times: int, *, route: str = BATCH) -> None:
        self.script_times(route, times, Reply(200, b'{"embeddings": [{"values": [0.25,'))

    def wrong_dimension(self, times: int, dim: int) -> None:
        def reply(request: Recorded) -> Reply:
            return Reply(
                200, {"embeddings": [{"values": pseudo_vector(t, dim)} for t in self.texts(request)]}
            )

        self.script_times(BATCH, times, reply)

    def missing_vectors(self, times: int, drop: int = 1) -> None:
        def reply(request: Recorded) -> Reply:
            items = self.embed_requests(request)[drop:]
            vectors = [
                pseudo_vector(
                    content_text(i.get("content")), int(i.get("outputDimensionality") or API_DEFAULT_DIM)
                )
                for i in items
            ]
            return Reply(200, {"embeddings": [{"values": v} for v in vectors]})

        self.script_times(BATCH, times, reply)


def _query_key(path: str) -> str | None:
    values = parse_qs(urlsplit(path).query).get("key")
    return values[0] if values else None

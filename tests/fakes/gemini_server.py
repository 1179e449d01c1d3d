"""Local Gemini-protocol server (the REST API that google-genai speaks).

Routes (any API version prefix, e.g. ``/v1`` or ``/v1beta``):
``POST /{version}/models/{model}:batchEmbedContents`` and ``:embedContent``;
``:generateContent`` / ``:streamGenerateContent`` answer 501 until replies are scripted.
Like the real API, an embedding is ``outputDimensionality`` wide, else 3072; a batch holds at
most 100 requests whose ``model`` must match the path; the key comes in ``x-goog-api-key``
(or ``?key=``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.protocol_server import ProtocolServer, Recorded, Reply, pseudo_vector

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


class FakeGeminiServer(ProtocolServer):
    """Gemini-compatible server on 127.0.0.1 with scriptable faults."""

    def __init__(self, *, api_key: str = "test-key") -> None:
        super().__init__()
        self.api_key = api_key
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

    def _generate(self, request: Recorded) -> Reply:
        return self._check(request) or error_reply(501, "no generateContent reply scripted for this test")

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

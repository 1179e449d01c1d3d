"""Errors of the OpenAI-compatible API in the OpenAI shape.

Every error reply under ``/v1`` (and only there: ``/api/v1`` keeps ``{"error", "detail"}``) is
re-shaped on its way out into ``{"error": {"message", "type", "param", "code"}}``: the errors of
the service, authentication (401), an unknown model (404), the rate limit (429, with its
Retry-After), request validation (400, ``param`` naming the field) and unhandled errors (500).
The re-shaping sits outside every other middleware, so no error reply escapes it."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jurisgraph.openai_api.service import error_object

PREFIX = "/v1"
#: the protocol's codes for some of ours
CODES = {"unauthorized": "invalid_api_key", "rate_limited": "rate_limit_exceeded"}
#: the request field an error of the service is about
PARAMS = {"invalid_messages": "messages", "model_not_found": "model"}


def under_prefix(path: str) -> bool:
    """Whether ``path`` is one of the OpenAI-compatible routes."""
    return path == PREFIX or path.startswith(PREFIX + "/")


def _param(detail: list[Any]) -> str | None:
    loc = detail[0].get("loc") if detail and isinstance(detail[0], dict) else None
    if not isinstance(loc, list):
        return None
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or None


def reshape(status: int, body: bytes) -> tuple[int, bytes]:
    """The OpenAI-shaped reply of an error reply (validation errors become 400)."""
    try:
        data = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        data = None
    param = None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        code = str(data["error"])
        detail = data.get("detail")
        if isinstance(detail, list):
            param = _param(detail)
            message = "; ".join(
                f"{'.'.join(str(p) for p in d.get('loc', []))}: {d.get('msg', '')}"
                for d in detail
                if isinstance(d, dict)
            )
        else:
            message = str(detail) if detail is not None else code
    elif isinstance(data, dict) and isinstance(data.get("error"), dict):
        return status, body  # already in the OpenAI shape
    else:
        code = "internal_error" if status >= 500 else "bad_request"
        message = body.decode("utf-8", "replace")[:500] or code
    if status == 422:
        status = 400
    code = CODES.get(code, code)
    param = param or PARAMS.get(code)
    return status, orjson.dumps(error_object(message, code, status, param))


class OpenAIErrors:
    """ASGI middleware: error replies under :data:`PREFIX` in the OpenAI shape."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not under_prefix(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        parts: list[bytes] = []

        async def reply(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start" and message["status"] >= 400:
                held = message
                return
            if message["type"] != "http.response.body" or held is None:
                await send(message)
                return
            parts.append(message.get("body", b""))
            if message.get("more_body"):
                return
            status, body = reshape(held["status"], b"".join(parts))
            skip = {b"content-length", b"content-type"}
            headers = [(k, v) for k, v in held.get("headers", []) if k.lower() not in skip]
            headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, reply)

"""The request context: a validated request id (``X-Request-ID``) bound to the logs, HTTP
metrics, the container's foreground gate (entered for the whole request so that background
embedding stands aside while requests are in flight) and the 500 reply of an unhandled error.

A plain ASGI middleware: the request body reaches the app as it arrives (no task group in
between), so the body limit and the app's own error handling see their exceptions."""

from __future__ import annotations

import re
import time
import uuid
from contextlib import AbstractContextManager, nullcontext

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jurisgraph.metrics import HTTP_LATENCY, HTTP_REQUESTS
from jurisgraph.middleware.problems import error_response

log = structlog.get_logger(__name__)

#: the longest request id taken from a caller
MAX_REQUEST_ID = 128
_REQUEST_ID = re.compile(rf"[A-Za-z0-9._:\-]{{1,{MAX_REQUEST_ID}}}")


def request_id_of(header: str | None) -> str:
    """The caller's request id when it is 1–128 characters of ``A-Z a-z 0-9 . _ : -``, else a fresh one."""
    if header and _REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestContext:
    """Bind the request id, time the request, answer 500 JSON for an unhandled error."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(Headers(scope=scope).get("x-request-id"))
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                MutableHeaders(scope=message)["x-request-id"] = request_id
            await send(message)

        path = str(scope.get("path", ""))[:200]
        try:
            with _foreground(scope):
                await self.app(scope, receive, send_with_id)
        except Exception:
            # compact: the log configuration renders a traceback without local variables
            log.exception("unhandled_error", method=scope.get("method"), path=path)
            if not response_started:
                reply = error_response(500, "internal_error", f"internal error (request {request_id})")
                await reply(scope, receive, send_with_id)
        elapsed = time.perf_counter() - started
        # the route template (``/api/v1/workspaces/{workspace_id}``), never the raw path: one series per route
        route_name = str(getattr(scope.get("route"), "path", "unmatched"))
        labels = (str(scope.get("method", "")), route_name, str(status))
        HTTP_REQUESTS.labels(*labels).inc()
        HTTP_LATENCY.labels(*labels).observe(elapsed)
        log.info("request", method=scope.get("method"), path=path, status=status, ms=round(elapsed * 1000, 1))
        structlog.contextvars.clear_contextvars()


def _foreground(scope: Scope) -> AbstractContextManager[None]:
    """The container's foreground gate for this request (none before the lifespan built it)."""
    container = getattr(getattr(scope.get("app"), "state", None), "container", None)
    gate = getattr(container, "foreground", None)
    return gate.entered() if gate is not None else nullcontext()

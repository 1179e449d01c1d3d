"""The request context: a validated request id (``X-Request-ID``) bound to the logs, HTTP
metrics, the container's foreground gate (entered for the whole request so that background
embedding stands aside while requests are in flight) and the 500 reply of an unhandled error."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext

import structlog
from fastapi import FastAPI, Request, Response

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


def install(app: FastAPI) -> None:
    """Register the request-context middleware on ``app``."""

    @app.middleware("http")
    async def _request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request_id_of(request.headers.get("x-request-id"))
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        try:
            with _foreground(request):
                response = await call_next(request)
        except Exception:
            # compact: the log configuration renders a traceback without local variables
            log.exception("unhandled_error", method=request.method, path=request.url.path[:200])
            response = error_response(500, "internal_error", f"internal error (request {request_id})")
        elapsed = time.perf_counter() - started
        route = request.scope.get("route")
        route_name = getattr(route, "path", "unmatched")
        HTTP_REQUESTS.labels(request.method, route_name, str(response.status_code)).inc()
        HTTP_LATENCY.labels(route_name).observe(elapsed)
        response.headers["x-request-id"] = request_id
        log.info(
            "request",
            method=request.method,
            path=request.url.path[:200],
            status=response.status_code,
            ms=round(elapsed * 1000, 1),
        )
        structlog.contextvars.clear_contextvars()
        return response


def _foreground(request: Request) -> AbstractContextManager[None]:
    """The container's foreground gate for this request (none before the lifespan built it)."""
    container = getattr(request.app.state, "container", None)
    gate = getattr(container, "foreground", None)
    return gate.entered() if gate is not None else nullcontext()

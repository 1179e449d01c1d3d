"""What wraps every request: the request id (``X-Request-ID``) bound to the logs, HTTP metrics,
the mapping of :class:`~jurisgraph.errors.JurisgraphError` to JSON error replies, and the
container's foreground gate, entered for the whole request so that background embedding
stands aside while requests are in flight."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from jurisgraph.errors import JurisgraphError
from jurisgraph.metrics import HTTP_LATENCY, HTTP_REQUESTS

log = structlog.get_logger(__name__)


def install(app: FastAPI) -> None:
    """Register the error handler and the request-context middleware on ``app``."""

    @app.exception_handler(JurisgraphError)
    async def _handle_error(request: Request, exc: JurisgraphError) -> JSONResponse:
        log.warning("request_failed", code=exc.code, status=exc.status_code, error=exc.message)
        return JSONResponse(
            {"error": {"code": exc.code, "message": exc.message}},
            status_code=exc.status_code,
            headers=exc.response_headers(),
        )

    @app.middleware("http")
    async def _request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        try:
            with _foreground(request):
                response = await call_next(request)
        except Exception:
            log.exception("unhandled_error", path=request.url.path)
            response = JSONResponse(
                {"error": {"code": "internal_error", "message": "internal error", "request_id": request_id}},
                status_code=500,
            )
        elapsed = time.perf_counter() - started
        route = request.scope.get("route")
        route_name = getattr(route, "path", "unmatched")
        HTTP_REQUESTS.labels(request.method, route_name, str(response.status_code)).inc()
        HTTP_LATENCY.labels(route_name).observe(elapsed)
        response.headers["x-request-id"] = request_id
        log.info(
            "request",
            method=request.method,
            path=request.url.path,
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

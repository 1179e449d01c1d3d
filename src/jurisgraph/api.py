"""HTTP API: health, metrics, error mapping and the request-id middleware."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from jurisgraph.errors import JurisgraphError, ServiceUnavailable
from jurisgraph.http import container_of
from jurisgraph.metrics import HTTP_LATENCY, HTTP_REQUESTS, REGISTRY

log = structlog.get_logger(__name__)
router = APIRouter()


@router.get("/health/live", tags=["health"])
def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/health/ready", tags=["health"])
async def ready(request: Request) -> JSONResponse:
    """Database and vector store answer; 503 naming the failing component otherwise."""
    container = container_of(request)
    checks: dict[str, str] = {}
    failing: list[str] = []
    for name, check in (
        ("database", container.check_database),
        ("vector_store", container.check_vector_store),
    ):
        try:
            await run_in_threadpool(check)
            checks[name] = "ok"
        except ServiceUnavailable as exc:
            checks[name] = exc.message
            failing.append(name)
    status = 503 if failing else 200
    body = {"status": "unavailable" if failing else "ok", "failing": failing, "checks": checks}
    return JSONResponse(body, status_code=status)


@router.get("/metrics", tags=["health"], include_in_schema=False)
def metrics() -> Response:
    """Prometheus metrics."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def install(app: FastAPI) -> None:
    """Register the router, error handlers and middleware on ``app``."""
    app.include_router(router)

    @app.exception_handler(JurisgraphError)
    async def _handle_error(request: Request, exc: JurisgraphError) -> JSONResponse:
        log.warning("request_failed", code=exc.code, status=exc.status_code, error=exc.message)
        return JSONResponse(
            {"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status_code
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

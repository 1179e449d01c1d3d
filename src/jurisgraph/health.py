"""Health and metrics routes: ``/health/live``, ``/health/ready`` and ``/metrics``."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from jurisgraph.deps import container_of
from jurisgraph.errors import ServiceUnavailable
from jurisgraph.metrics import REGISTRY

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

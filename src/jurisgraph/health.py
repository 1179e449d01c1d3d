"""Health and metrics routes: ``/health/live``, ``/health/ready`` and ``/metrics`` (in
production only with the bearer token ``app.metrics_token``, and absent without one)."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool

from jurisgraph.db import session_scope
from jurisgraph.deps import container_of
from jurisgraph.errors import NotFound, ServiceUnavailable, Unauthorized
from jurisgraph.jobs import repository as jobs_repository
from jurisgraph.metrics import READY, ScrapeTimeCollector, render
from jurisgraph.release import build_info
from jurisgraph.runtime import Container

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
            READY.labels(name).set(1)
        except ServiceUnavailable as exc:
            checks[name] = exc.message
            failing.append(name)
            READY.labels(name).set(0)
    status = 503 if failing else 200
    release = await run_in_threadpool(_release, container, "database" not in failing)
    body = {
        "status": "unavailable" if failing else "ok",
        "failing": failing,
        "checks": checks,
        "release": release,
    }
    return JSONResponse(body, status_code=status)


@router.get("/metrics", tags=["health"], include_in_schema=False)
def metrics(request: Request) -> Response:
    """Prometheus metrics: open in dev; in production a bearer token is required, and without a
    configured one the route does not exist (404)."""
    settings = container_of(request).settings
    if settings.is_production:
        token = settings.app.metrics_token.get_secret_value()
        if not token:
            raise NotFound("Not Found")
        sent = request.headers.get("authorization", "")
        scheme, _, value = sent.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
            raise Unauthorized("a valid metrics token is required")
    container = container_of(request)
    scrape_time = ScrapeTimeCollector(lambda: _job_counts(container), settings.llm.budget_daily_usd)
    return Response(render(scrape_time), media_type=CONTENT_TYPE_LATEST)


def _release(container: Container, database_ok: bool) -> dict[str, str]:
    """What is running (schema revision only read from a database that answered)."""
    return build_info(container.settings, container.engine if database_ok else None).as_dict()


def _job_counts(container: Container) -> dict[str, int]:
    """Jobs by status from the database (none when the database does not answer: a scrape
    must not fail because of it; readiness reports the database)."""
    try:
        with session_scope(container.sessions) as session:
            return jobs_repository.count_by_status(session)
    except Exception:  # the database is down or not migrated
        return {}

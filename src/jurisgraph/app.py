"""The FastAPI application factory: middleware, health, the routers of every domain and the web
pages; its lifespan builds and closes the :class:`~jurisgraph.runtime.Container`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from starlette.routing import Route

from jurisgraph import __version__, health, middleware
from jurisgraph.ask import endpoints as ask_endpoints
from jurisgraph.auth import endpoints as auth_endpoints
from jurisgraph.auth import oidc_endpoints
from jurisgraph.config import Settings, load_settings
from jurisgraph.datasets import endpoints as dataset_endpoints
from jurisgraph.datasets import service as datasets_service
from jurisgraph.db import DATABASE_FAILURES, failure_message, session_scope
from jurisgraph.documents import endpoints as document_endpoints
from jurisgraph.documents import service as documents_service
from jurisgraph.graph import endpoints as graph_endpoints
from jurisgraph.graph import query_endpoints as graph_query_endpoints
from jurisgraph.kit.lanes import Lane, available_cores
from jurisgraph.logging import configure_logging
from jurisgraph.mcp_server.http import PATH as MCP_PATH
from jurisgraph.mcp_server.http import McpEndpoint
from jurisgraph.openai_api import endpoints as openai_endpoints
from jurisgraph.openai_api.errors import OpenAIErrors
from jurisgraph.runtime import Container
from jurisgraph.search import endpoints as search_endpoints
from jurisgraph.vectors_ops import endpoints as vector_endpoints
from jurisgraph.web import pages

log = structlog.get_logger(__name__)


def _resume_uploads(container: Container) -> None:
    """Queue the uploads a killed process left unqueued; a database that is down now only delays
    it to the next start (the app still starts, and readiness says what is wrong)."""
    try:
        with session_scope(container.sessions) as session:
            documents_service.resume_stranded(session, container.jobs())
    except DATABASE_FAILURES as exc:
        log.warning("uploads_not_resumed", error=failure_message(exc))


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; settings are read from the environment when not given."""
    mcp = McpEndpoint()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        effective = settings or load_settings()
        effective.validate_or_raise()
        configure_logging(effective.app.log_level, json=effective.log_json, log_file=effective.log_file)
        container = Container.build(effective)
        app.state.container = container
        app.state.query_lane = Lane(effective.app.query_concurrency or available_cores())
        container.jobs().recover()
        if not effective.redis.url:  # jobs run here: uploads a killed process left unqueued too
            _resume_uploads(container)
        if effective.pipeline.embed_on_start:
            _start_background_embedding(container)
        log.info("startup", env=effective.app.env, database=effective.masked()["database"]["url"])
        try:
            async with mcp.running():
                yield
        finally:
            container.close()
            log.info("shutdown")

    app = FastAPI(
        title="jurisgraph",
        version=__version__,
        lifespan=lifespan,
        description="GraphRAG sobre os dados abertos do STJ, com citações e trilha de auditoria.",
    )
    middleware.install(app)
    app.include_router(health.router)
    app.include_router(auth_endpoints.router)
    app.include_router(oidc_endpoints.router)
    app.include_router(dataset_endpoints.router)
    app.include_router(document_endpoints.router)
    app.include_router(graph_endpoints.router)
    app.include_router(graph_query_endpoints.router)
    app.include_router(search_endpoints.router)
    app.include_router(ask_endpoints.router)
    app.include_router(vector_endpoints.router)
    app.include_router(openai_endpoints.router)
    app.router.routes.append(Route(MCP_PATH, endpoint=mcp, methods=["GET", "POST", "DELETE"]))
    # outermost: every error reply under /v1 (even a 500 of the request context) in the OpenAI shape
    app.add_middleware(OpenAIErrors)
    pages.install(app)
    return app


def _start_background_embedding(container: Container) -> None:
    """Fill in missing dense vectors in the background; never blocks or fails startup."""
    try:
        with session_scope(container.sessions) as session:
            job = datasets_service.start_background_embedding(session, container)
    except Exception as exc:  # the database may be down: /health/ready reports it
        log.warning("background_embedding_not_started", error=f"{type(exc).__name__}: {exc}")
        return
    if job:
        log.info("background_embedding_started", job_id=job)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory jurisgraph.app:app_from_env``."""
    return create_app()

"""FastAPI dependencies shared by every router: the container, the request's transaction (one
per request; a streamed response keeps it until its end), the caller (:class:`Principal`: from the
session cookie, a bearer token or an API key, with the CSRF check of cookie-authenticated unsafe
requests), the caller's readable workspaces, and the query rate limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from jurisgraph.auth import service as auth
from jurisgraph.auth.cookies import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE
from jurisgraph.auth.principal import ANONYMOUS, Principal
from jurisgraph.db import Session
from jurisgraph.errors import Forbidden, RateLimited, ServiceUnavailable, Unauthorized
from jurisgraph.kit.lanes import Lane
from jurisgraph.kit.ratelimit import LimiterUnavailable
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import readable_workspaces

#: the largest offset a list route accepts
MAX_OFFSET = 1_000_000
#: the largest row id a route accepts (ids are 64-bit)
MAX_ID = 2**62
#: the longest filter value (órgão, relator, classe, dataset slug) or name a route accepts
MAX_NAME = 200
#: the longest key in a path (entity key, community id, resource id)
MAX_KEY = 300


@dataclass(frozen=True)
class Page:
    """A page of a list: at most ``limit`` rows after skipping ``offset``."""

    limit: int
    offset: int


def paging(default: int = 50, maximum: int = 500) -> Any:
    """The ``limit`` (1..``maximum``, default ``default``) and ``offset`` (0..:data:`MAX_OFFSET`)
    query parameters of a list route, as a :class:`Page`: ``page: Annotated[Page, paging()]``."""

    def page(
        limit: int = Query(default, ge=1, le=maximum, description="Rows to return."),
        offset: int = Query(0, ge=0, le=MAX_OFFSET, description="Rows to skip."),
    ) -> Page:
        return Page(limit, offset)

    return Depends(page)


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
cookie_scheme = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="cookie",
    description="Session cookie set by POST /api/v1/auth/login; unsafe requests also send X-CSRF-Token.",
    auto_error=False,
)
bearer_scheme = HTTPBearer(
    scheme_name="bearer",
    description="A session token (JWT from POST /api/v1/auth/login) or an API key (jg_…).",
    auto_error=False,
)


def container_of(request: Request) -> Container:
    """The container built by the app's lifespan."""
    container: Container = request.app.state.container
    return container


async def container_dep(request: Request) -> Container:
    """The container, as a dependency resolved on the event loop (a plain ``def`` dependency
    costs every request a trip through the thread pool)."""
    return container_of(request)


ContainerDep = Annotated[Container, Depends(container_dep)]


async def query_lane_dep(request: Request) -> Lane:
    """Where questions and searches are computed: ``app.query_concurrency`` at a time, in turn."""
    lane: Lane = request.app.state.query_lane
    return lane


QueryLaneDep = Annotated[Lane, Depends(query_lane_dep)]


@asynccontextmanager
async def _transaction(request: Request) -> AsyncIterator[Session]:
    """A session made on the event loop (it connects on first use, in the thread that uses it);
    its commit or rollback runs in a worker thread only when it began a transaction."""
    session = container_of(request).sessions()
    try:
        yield session
        if session.in_transaction():
            await run_in_threadpool(session.commit)
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        raise
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


async def session_dep(request: Request) -> AsyncIterator[Session]:
    """The one transaction of a request: committed when the handler returns, before the response
    is sent (a client that reads right after sees what the request wrote), or rolled back on error."""
    async with _transaction(request) as session:
        yield session


SessionDep = Annotated[Session, Depends(session_dep, scope="function")]


async def streaming_session_dep(request: Request) -> AsyncIterator[Session]:
    """The one transaction of a streamed response: open while the body is sent, committed after
    its end (what the stream wrote, an audit row, is committed then), rolled back on error."""
    async with _transaction(request) as session:
        yield session


StreamingSessionDep = Annotated[Session, Depends(streaming_session_dep, scope="request")]


async def _check_csrf(request: Request) -> None:
    """Double submit: the CSRF cookie must come back in the header or the form field."""
    expected = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    form = None
    if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or sent != expected:
        if form is not None:
            await form.close()  # files of a refused upload
        raise Forbidden("missing or wrong CSRF token", code="csrf")


async def principal_dep(
    request: Request,
    session: SessionDep,
    cookie: Annotated[str | None, Security(cookie_scheme)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
) -> Principal:
    """The caller: a bearer token or API key (401 when invalid), else the session cookie (a stale
    cookie counts as anonymous; unsafe requests need the CSRF token), else anonymous."""
    settings = container_of(request).settings
    secret = settings.auth.jwt_secret.get_secret_value()
    if request.headers.get("authorization"):
        if bearer is None or not bearer.credentials.strip():
            raise Unauthorized("use Authorization: Bearer <token or API key>")
        token = bearer.credentials.strip()
        principal = await run_in_threadpool(auth.principal_for_bearer, session, token, secret=secret)
        # an API key's last use is written now, and committed now: held to the end of the request,
        # SQLite's write lock would make other transactions of the request (the LLM ledger's) wait
        await run_in_threadpool(session.commit)
        return principal
    if not cookie:
        return ANONYMOUS
    try:
        principal = await run_in_threadpool(
            auth.principal_for_token, session, cookie, secret=secret, via="cookie"
        )
    except Unauthorized:
        return ANONYMOUS
    if request.method in UNSAFE_METHODS:
        await _check_csrf(request)
    return principal


PrincipalDep = Annotated[Principal, Depends(principal_dep)]


def user_dep(principal: PrincipalDep) -> Principal:
    """A signed-in caller (401 when anonymous)."""
    if not principal.is_authenticated:
        raise Unauthorized("sign in first")
    return principal


UserDep = Annotated[Principal, Depends(user_dep)]


def admin_dep(principal: UserDep) -> Principal:
    """An admin (401 when anonymous, 403 for other users)."""
    if not principal.is_admin:
        raise Forbidden("admins only")
    return principal


AdminDep = Annotated[Principal, Depends(admin_dep)]


def workspaces_dep(session: SessionDep, principal: PrincipalDep, container: ContainerDep) -> list[int]:
    """Workspaces the caller may read: every one for an admin; else the public ones (for anonymous
    callers only when public read is on: 401 otherwise) and the caller's private workspace."""
    if not principal.is_authenticated and not container.settings.public_read:
        raise Unauthorized("sign in to read the corpus")
    return readable_workspaces(session, user_id=principal.user_id, every=principal.is_admin)


WorkspacesDep = Annotated[list[int], Depends(workspaces_dep)]


def client_ip(request: Request) -> str:
    """The caller's address (uvicorn resolves trusted proxy headers into it)."""
    return request.client.host if request.client else "unknown"


def enforce_query_limit(request: Request, principal: Principal, container: Container) -> None:
    """Count one query against ``auth.query_rate_limit``, per user (per IP when anonymous);
    :class:`RateLimited` (429 with Retry-After) when over it."""
    who = f"user:{principal.user_id}" if principal.is_authenticated else f"ip:{client_ip(request)}"
    limit = container.settings.auth.query_rate_limit
    try:
        wait = container.rate_limiter().hit(limit, "query", who)
    except LimiterUnavailable as exc:
        raise ServiceUnavailable(str(exc)) from exc
    if wait is not None:
        raise RateLimited(f"query rate limit reached ({limit})", retry_after=wait)


async def query_limit_dep(request: Request, principal: PrincipalDep, container: ContainerDep) -> None:
    """The query rate limit of an API route (see :func:`enforce_query_limit`): counted on the event
    loop when the counts are in memory, in a worker thread when they are in Redis."""
    if container.rate_limiter().blocking:
        await run_in_threadpool(enforce_query_limit, request, principal, container)
    else:
        enforce_query_limit(request, principal, container)


QueryLimitDep = Annotated[None, Depends(query_limit_dep)]

"""FastAPI dependencies shared by every router: the container, the request's transaction (one
per request; a streamed response keeps it until its end), the caller's readable workspaces."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from jurisgraph.db import Session
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import readable_workspaces

#: the largest offset a list route accepts
MAX_OFFSET = 1_000_000
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


def container_of(request: Request) -> Container:
    """The container built by the app's lifespan."""
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(container_of)]


def _transaction(request: Request) -> Iterator[Session]:
    session = container_of(request).sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def session_dep(request: Request) -> Iterator[Session]:
    """The one transaction of a request: committed when the handler returns, before the response
    is sent (a client that reads right after sees what the request wrote), or rolled back on error."""
    yield from _transaction(request)


SessionDep = Annotated[Session, Depends(session_dep, scope="function")]


def streaming_session_dep(request: Request) -> Iterator[Session]:
    """The one transaction of a streamed response: open while the body is sent, committed after
    its end (what the stream wrote, an audit row, is committed then), rolled back on error."""
    yield from _transaction(request)


StreamingSessionDep = Annotated[Session, Depends(streaming_session_dep, scope="request")]


def workspaces_dep(session: SessionDep) -> list[int]:
    """Workspaces the caller may read (see :func:`readable_workspaces`)."""
    return readable_workspaces(session)


WorkspacesDep = Annotated[list[int], Depends(workspaces_dep)]

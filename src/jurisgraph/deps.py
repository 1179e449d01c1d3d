"""FastAPI dependencies shared by every router: the container, the request's transaction (one
per request; a streamed response keeps it until its end), the caller's readable workspaces."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from jurisgraph.db import Session
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import readable_workspaces


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

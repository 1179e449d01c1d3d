"""FastAPI dependencies shared by every router: the container, a session, readable workspaces."""

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


def session_dep(request: Request) -> Iterator[Session]:
    """The one transaction of a request, committed at its end (after a streamed response has been
    sent) or rolled back on error."""
    session = container_of(request).sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(session_dep)]


def workspaces_dep(session: SessionDep) -> list[int]:
    """Workspaces the caller may read (see :func:`readable_workspaces`)."""
    return readable_workspaces(session)


WorkspacesDep = Annotated[list[int], Depends(workspaces_dep)]

"""FastAPI dependencies shared by every router: the container, a session, readable workspaces."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from jurisgraph.models import Workspace
from jurisgraph.runtime import Container


def container_of(request: Request) -> Container:
    """The container built by the app's lifespan."""
    container: Container = request.app.state.container
    return container


def session_dep(request: Request) -> Iterator[Session]:
    """A session for one request, committed at its end (the edge) or rolled back on error."""
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


def readable_workspaces(session: SessionDep) -> list[int]:
    """Workspaces the caller may read: the public ones (private ones come with authentication)."""
    return list(
        session.scalars(select(Workspace.id).where(Workspace.kind == "public").order_by(Workspace.id))
    )


WorkspacesDep = Annotated[list[int], Depends(readable_workspaces)]

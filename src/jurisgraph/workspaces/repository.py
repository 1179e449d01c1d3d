"""Queries on the ``workspaces`` table."""

from __future__ import annotations

from sqlalchemy import select

from jurisgraph.db import Session
from jurisgraph.models import Workspace


def ids_of_kind(session: Session, kind: str) -> list[int]:
    """Ids of the workspaces of ``kind`` (``public`` or ``private``), in id order."""
    return list(session.scalars(select(Workspace.id).where(Workspace.kind == kind).order_by(Workspace.id)))


def id_by_slug(session: Session, slug: str) -> int | None:
    """The id of the workspace ``slug``, or None."""
    return session.scalar(select(Workspace.id).where(Workspace.slug == slug))


def add(session: Session, *, slug: str, name: str, kind: str) -> int:
    """Store a workspace (flushed, so its id is known); returns its id."""
    workspace = Workspace(slug=slug, name=name, kind=kind)
    session.add(workspace)
    session.flush()
    return workspace.id

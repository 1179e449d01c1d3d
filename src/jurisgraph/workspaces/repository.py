"""Queries on the ``workspaces`` table."""

from __future__ import annotations

from sqlalchemy import select, update

from jurisgraph.db import Session
from jurisgraph.models import Workspace


def ids_of_kind(session: Session, kind: str) -> list[int]:
    """Ids of the workspaces of ``kind`` (``public`` or ``private``), in id order."""
    return list(session.scalars(select(Workspace.id).where(Workspace.kind == kind).order_by(Workspace.id)))


def id_by_slug(session: Session, slug: str) -> int | None:
    """The id of the workspace ``slug``, or None."""
    return session.scalar(select(Workspace.id).where(Workspace.slug == slug))


def all_ids(session: Session) -> list[int]:
    """Ids of every workspace, in id order."""
    return list(session.scalars(select(Workspace.id).order_by(Workspace.id)))


def private_id_of(session: Session, user_id: int) -> int | None:
    """The id of the private workspace owned by ``user_id``, or None."""
    return session.scalar(
        select(Workspace.id)
        .where(Workspace.kind == "private", Workspace.owner_user_id == user_id)
        .order_by(Workspace.id)
        .limit(1)
    )


def add(session: Session, *, slug: str, name: str, kind: str, owner_user_id: int | None = None) -> int:
    """Store a workspace (flushed, so its id is known); returns its id."""
    workspace = Workspace(slug=slug, name=name, kind=kind, owner_user_id=owner_user_id)
    session.add(workspace)
    session.flush()
    return workspace.id


def hold(session: Session, workspace_id: int) -> None:
    """Hold the workspace's row until the transaction ends: a write that changes nothing takes the
    row's lock on MariaDB/MySQL and the database's write lock on SQLite, so another transaction
    holding it waits. Reads after it see what the previous holder committed on SQLite; on MariaDB
    only locking reads do (a plain read keeps the snapshot of the transaction's first read)."""
    session.execute(update(Workspace).where(Workspace.id == workspace_id).values(slug=Workspace.slug))

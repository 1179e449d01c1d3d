"""Workspaces for every entry point: which ones a caller may read, and the public STJ one.

Reads (HTTP, web pages, CLI ``search`` and ``ask``) resolve the caller's workspaces with
:func:`readable_workspaces` and never create one: on an empty database nothing is readable,
and searches and questions find nothing. Only ingestion creates the public workspace
(:func:`ensure_public_workspace`); creating a user creates its private one
(:func:`ensure_private_workspace`, slug ``user-<id>``).
"""

from __future__ import annotations

from jurisgraph.db import Session
from jurisgraph.models.accounts import PRIVATE_WORKSPACE_SLUG, PUBLIC_WORKSPACE_SLUG
from jurisgraph.workspaces import repository

PUBLIC_WORKSPACE_NAME = "STJ — dados abertos"


def readable_workspaces(
    session: Session, *, user_id: int | None = None, every: bool = False, public: bool = True
) -> list[int]:
    """Workspaces a caller may read: every one for an admin (``every``); else the public ones (when
    ``public``) and the private workspace of ``user_id``."""
    if every:
        return repository.all_ids(session)
    found = repository.ids_of_kind(session, "public") if public else []
    if user_id is not None:
        own = repository.private_id_of(session, user_id)
        if own is not None:
            found.append(own)
    return found


def private_workspace(session: Session, user_id: int) -> int | None:
    """The id of the private workspace of ``user_id``, if it has one."""
    return repository.private_id_of(session, user_id)


def ensure_private_workspace(session: Session, user_id: int, name: str | None = None) -> int:
    """The id of the private workspace of ``user_id`` (slug ``user-<id>``), created when missing."""
    found = repository.private_id_of(session, user_id)
    if found is not None:
        return found
    return repository.add(
        session,
        slug=PRIVATE_WORKSPACE_SLUG.format(user_id=user_id),
        name=name or f"Espaço privado {user_id}",
        kind="private",
        owner_user_id=user_id,
    )


def hold(session: Session, workspace_id: int) -> None:
    """Serialise the transactions that hold ``workspace_id`` (see :func:`repository.hold`): each
    waits for the previous holder to end."""
    repository.hold(session, workspace_id)


def ensure_public_workspace(session: Session) -> int:
    """The id of the public STJ workspace, created on first use (ingestion only: it writes)."""
    found = repository.id_by_slug(session, PUBLIC_WORKSPACE_SLUG)
    if found is not None:
        return found
    return repository.add(session, slug=PUBLIC_WORKSPACE_SLUG, name=PUBLIC_WORKSPACE_NAME, kind="public")

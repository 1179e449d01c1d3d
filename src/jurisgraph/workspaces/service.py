"""Workspaces for every entry point: which ones a caller may read, and the public STJ one.

Reads (HTTP, web pages, CLI ``search`` and ``ask``) resolve the caller's workspaces with
:func:`readable_workspaces` and never create one: on an empty database nothing is readable,
and searches and questions find nothing. Only ingestion creates the public workspace
(:func:`ensure_public_workspace`).
"""

from __future__ import annotations

from jurisgraph.db import Session
from jurisgraph.models.accounts import PUBLIC_WORKSPACE_SLUG
from jurisgraph.workspaces import repository

PUBLIC_WORKSPACE_NAME = "STJ — dados abertos"


def readable_workspaces(session: Session) -> list[int]:
    """Workspaces the caller may read: the public ones (private ones come with authentication)."""
    return repository.ids_of_kind(session, "public")


def ensure_public_workspace(session: Session) -> int:
    """The id of the public STJ workspace, created on first use (ingestion only: it writes)."""
    found = repository.id_by_slug(session, PUBLIC_WORKSPACE_SLUG)
    if found is not None:
        return found
    return repository.add(session, slug=PUBLIC_WORKSPACE_SLUG, name=PUBLIC_WORKSPACE_NAME, kind="public")

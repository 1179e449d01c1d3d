"""Which workspaces a caller may read, for every entry point (HTTP, web pages, CLI).

Reads never create a workspace: on an empty database there is nothing readable, and
searches and questions find nothing. Ingestion creates the public one
(:func:`jurisgraph.pipeline.workspace.ensure_public_workspace`).
"""

from __future__ import annotations

from jurisgraph.db import Session
from jurisgraph.workspaces import repository


def readable_workspaces(session: Session) -> list[int]:
    """Workspaces the caller may read: the public ones (private ones come with authentication)."""
    return repository.ids_of_kind(session, "public")

"""The public STJ workspace that holds the open-data corpus."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurisgraph.models import Workspace
from jurisgraph.models.accounts import PUBLIC_WORKSPACE_SLUG


def ensure_public_workspace(session: Session) -> int:
    """The id of the public STJ workspace, created on first use."""
    found = session.scalar(select(Workspace.id).where(Workspace.slug == PUBLIC_WORKSPACE_SLUG))
    if found is not None:
        return found
    workspace = Workspace(slug=PUBLIC_WORKSPACE_SLUG, name="STJ — dados abertos", kind="public")
    session.add(workspace)
    session.flush()
    return workspace.id

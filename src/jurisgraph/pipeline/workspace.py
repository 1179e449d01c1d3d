"""The public STJ workspace that holds the open-data corpus, created by ingestion.

Reads resolve workspaces with :func:`jurisgraph.workspaces.service.readable_workspaces` and
never create one; only the pipeline, which writes into the corpus, calls this module.
"""

from __future__ import annotations

from jurisgraph.db import Session, session_scope
from jurisgraph.models.accounts import PUBLIC_WORKSPACE_SLUG
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.progress import Progress, no_progress
from jurisgraph.runtime import Container
from jurisgraph.workspaces import repository

PUBLIC_WORKSPACE_NAME = "STJ — dados abertos"


def ensure_public_workspace(session: Session) -> int:
    """The id of the public STJ workspace, created on first use."""
    found = repository.id_by_slug(session, PUBLIC_WORKSPACE_SLUG)
    if found is not None:
        return found
    return repository.add(session, slug=PUBLIC_WORKSPACE_SLUG, name=PUBLIC_WORKSPACE_NAME, kind="public")


def public_context(
    container: Container, progress: Progress = no_progress, job_id: str | None = None
) -> PipelineContext:
    """A pipeline context on the public STJ workspace (created, in its own transaction, if missing)."""
    with session_scope(container.sessions) as session:
        workspace_id = ensure_public_workspace(session)
    return PipelineContext(container=container, workspace_id=workspace_id, progress=progress, job_id=job_id)

"""The workspace a pipeline run writes into: the public STJ one, created on first use."""

from __future__ import annotations

from collections.abc import Callable

from jurisgraph.db import session_scope
from jurisgraph.pipeline.context import PipelineContext, never
from jurisgraph.progress import Progress, no_progress
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import ensure_public_workspace


def _job_stop(container: Container, job_id: str) -> Callable[[], bool]:
    jobs = container.jobs()
    return lambda: jobs.should_stop(job_id)


def public_context(
    container: Container, progress: Progress = no_progress, job_id: str | None = None
) -> PipelineContext:
    """A pipeline context on the public STJ workspace (created, in its own transaction, if missing).

    A context with a ``job_id`` runs on the container's jobs queue: its long stages stop between
    batches once the process is shutting down or the job was cancelled, keeping the work done.
    """
    with session_scope(container.sessions) as session:
        workspace_id = ensure_public_workspace(session)
    return PipelineContext(
        container=container,
        workspace_id=workspace_id,
        progress=progress,
        job_id=job_id,
        should_stop=_job_stop(container, job_id) if job_id else never,
    )

"""The long edges of an upload: processing it (the job's work, and the CLI's) and deleting it.

Like pipeline stages they take no session from their caller and commit as they go, each step in
its own transaction: a reader sees a document advance, a failure keeps what is done, and a
deletion's last step reads what the removal committed. Importing this module registers the
processing job's handler (the app, the worker and the CLI import it)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import structlog

from jurisgraph.auth.principal import Principal
from jurisgraph.db import session_scope
from jurisgraph.documents.service import JOB_KIND, any_document, busy, discard_files, owned
from jurisgraph.errors import Conflict
from jurisgraph.jobs import handler
from jurisgraph.pipeline import uploads
from jurisgraph.progress import Progress, no_progress
from jurisgraph.runtime import Container

log = structlog.get_logger(__name__)


def process(
    container: Container,
    document_id: int,
    workspace_id: int,
    *,
    progress: Progress = no_progress,
    job_id: str | None = None,
) -> uploads.UploadReport:
    """Process the uploaded document ``document_id`` of ``workspace_id`` now (the job's work; the
    CLI calls it directly), committing each lifecycle status, the chunks, the graph and the vectors
    as it goes."""
    ctx = uploads.private_context(container, workspace_id, progress, job_id)
    return uploads.process(ctx, document_id)


@handler(JOB_KIND)
def _process_job(
    container: Container, job_id: str, payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    """The job's edge: finds the document's workspace in its own transaction, then processes it."""
    document_id = int(payload["document_id"])
    with session_scope(container.sessions) as session:
        workspace_id = any_document(session, document_id).workspace_id
    return asdict(process(container, document_id, workspace_id, progress=progress, job_id=job_id))


def delete(container: Container, principal: Principal, document_id: int) -> None:
    """Delete an owned document and everything derived from it: chunks, mentions, the graph only
    it supported, vector points, its stored file (unless another document has the same file);
    the workspace's communities and index are recomputed.

    Three transactions: the ownership and busy check, the removal with its graph and index
    recomputation (pipeline work that commits its own steps), then the stored file, whose
    references are counted after the removal committed."""
    with session_scope(container.sessions) as session:
        row = owned(session, principal, document_id)
        if busy(session, row):
            raise Conflict(f"document {document_id} is being processed ({row.status})", code="busy")
        workspace_id, file_key = row.workspace_id, row.file_url
    uploads.remove(uploads.private_context(container, workspace_id), [document_id])
    if file_key:
        with session_scope(container.sessions) as session:
            discard_files(session, container.storage(), [file_key])
    log.info("document_deleted", document_id=document_id)

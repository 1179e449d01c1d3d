"""Uploaded documents through the same stages as STJ records, in the uploader's private workspace.

An uploaded document's row exists before processing (the upload stored its file and inserted
it as ``uploaded``). Processing reads the stored file again and walks the lifecycle of the
original system, committing each status so that a poller sees it move:

``uploaded → extracting → extracted → chunking → chunked → extracting_entities →
entities_extracted → embedding → embedded`` (or ``error`` with the message).

Text extraction keeps the page spans (``metadata["pages"]``: ``{number, start, end}`` over
``text_content``), so every chunk, and so every citation, knows its page. Chunking,
the deterministic legal extraction, the graph, communities and the index are the stages the
public corpus uses, on the private workspace's context; removing documents deletes exactly
what they alone built and recomputes the workspace's communities and index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jurisgraph.config import Settings
from jurisgraph.db import session_scope
from jurisgraph.engine.documents import ExtractLimits, extract
from jurisgraph.engine.types import DocumentMeta, SourceDocument
from jurisgraph.errors import JurisgraphError
from jurisgraph.pipeline import ingest
from jurisgraph.pipeline.context import PipelineContext, never
from jurisgraph.pipeline.logs import logged_action
from jurisgraph.pipeline.record_rows import PROCESSING_VERSION, prepare_source
from jurisgraph.pipeline.repository import documents as repository
from jurisgraph.pipeline.stages import graph, index
from jurisgraph.pipeline.stages.index import UPLOAD_KIND, pages_of, upload_url
from jurisgraph.pipeline.store import StoreStats, clear_documents, delete_documents, write_rows
from jurisgraph.progress import Progress, no_progress
from jurisgraph.runtime import Container

__all__ = ["LIFECYCLE", "UPLOAD_KIND", "pages_of", "process", "remove", "upload_url"]
#: the lifecycle, in order; ``error`` is outside it
LIFECYCLE = (
    "uploaded",
    "extracting",
    "extracted",
    "chunking",
    "chunked",
    "extracting_entities",
    "entities_extracted",
    "embedding",
    "embedded",
)


def progress_of(status: str) -> float:
    """How far along the lifecycle ``status`` is, from 0 (uploaded) to 1 (embedded)."""
    if status not in LIFECYCLE:
        return 0.0
    return round(LIFECYCLE.index(status) / (len(LIFECYCLE) - 1), 3)


def extract_limits(settings: Settings) -> ExtractLimits:
    """What an upload may be: size, pages, DOCX decompressed size, as configured."""
    storage = settings.storage
    return ExtractLimits(
        max_bytes=storage.max_upload_mb * 1024 * 1024,
        max_pages=storage.max_pages,
        max_docx_uncompressed=storage.max_decompressed_mb * 1024 * 1024,
    )


def private_context(
    container: Container, workspace_id: int, progress: Progress = no_progress, job_id: str | None = None
) -> PipelineContext:
    """A pipeline context on a private workspace (no catalogue resources in it)."""
    jobs = container.jobs() if job_id else None
    return PipelineContext(
        container=container,
        workspace_id=workspace_id,
        progress=progress,
        job_id=job_id,
        should_stop=(lambda: jobs.should_stop(job_id)) if jobs is not None else never,
        private=True,
    )


@dataclass
class UploadReport:
    """What processing one uploaded document did."""

    document_id: int
    status: str = "uploaded"
    pages: int = 0
    chunks: int = 0
    entities: int = 0
    relations: int = 0
    error: str | None = None
    stages: dict[str, Any] = field(default_factory=dict)


def _status(ctx: PipelineContext, document_id: int, status: str, **values: Any) -> None:
    with session_scope(ctx.container.sessions) as session:
        row = repository.document(session, document_id)
        row.status = status
        row.error_message = None
        for name, value in values.items():
            setattr(row, name, value)
    ctx.progress("document", LIFECYCLE.index(status), len(LIFECYCLE) - 1, status)


def process(ctx: PipelineContext, document_id: int, *, dense: bool = True) -> UploadReport:
    """Run the uploaded document ``document_id`` through the pipeline (again, for a re-process).

    A failure leaves the document in ``error`` with the message (its earlier rows, if any, are
    kept until a re-process succeeds) and is raised again."""
    report = UploadReport(document_id)
    sessions = ctx.container.sessions
    with logged_action(sessions, "process_document", document_id=document_id, job_id=ctx.job_id) as counts:
        try:
            _run(ctx, document_id, dense, report)
        except Exception as exc:
            message = exc.message if isinstance(exc, JurisgraphError) else f"{type(exc).__name__}: {exc}"
            with session_scope(sessions) as session:
                row = repository.find_document(session, document_id)
                if row is not None:
                    row.status, row.error_message = "error", message[:4000]
            report.status, report.error = "error", message
            raise
        counts.records_processed = 1
        counts.chunks_generated = report.chunks
        counts.entities_extracted = report.entities
        counts.relationships_extracted = report.relations
        counts.details.append(f"document {document_id}: {report.pages} pages, {report.chunks} chunks")
    return report


def _run(ctx: PipelineContext, document_id: int, dense: bool, report: UploadReport) -> None:
    container = ctx.container
    sessions = container.sessions
    _status(ctx, document_id, "extracting")
    with session_scope(sessions) as session:
        row = repository.document(session, document_id)
        key, title, doc_key = row.file_url, row.title, row.key
        if ctx.job_id:
            row.metadata_ = {**(row.metadata_ or {}), "job_id": ctx.job_id}
    if not key:
        raise JurisgraphError(f"document {document_id} has no stored file")
    extracted = extract(container.storage().get(key), extract_limits(container.settings))
    report.pages = len(extracted.pages)
    with session_scope(sessions) as session:
        row = repository.document(session, document_id)
        row.text_content = extracted.text
        row.metadata_ = {
            **(row.metadata_ or {}),
            "pages": extracted.pages_metadata(),
            "page_count": len(extracted.pages),
            "encoding": extracted.encoding,
            "type": str(extracted.kind),
        }
    _status(ctx, document_id, "extracted")
    _status(ctx, document_id, "chunking")
    source = SourceDocument(
        key=doc_key, kind=UPLOAD_KIND, title=title, text=extracted.text, meta=DocumentMeta()
    )
    pipeline = container.settings.pipeline
    prepared = prepare_source(
        source,
        f"{PROCESSING_VERSION}:{doc_key}",
        workspace_id=ctx.workspace_id,
        chunk_size=pipeline.chunk_size,
        chunk_overlap=pipeline.chunk_overlap,
    )
    stats = StoreStats()
    with session_scope(sessions) as session:
        stats.touched |= clear_documents(session, [document_id])
        write_rows(session, workspace_id=ctx.workspace_id, documents=[(document_id, prepared)], stats=stats)
    index.delete_documents(ctx, [document_id])  # the points of an earlier processing
    report.chunks, report.entities, report.relations = stats.chunks, stats.entities, stats.relations
    _status(ctx, document_id, "chunked", chunk_count=stats.chunks)
    _status(ctx, document_id, "extracting_entities")
    with session_scope(sessions) as session:
        graph.rebuild(session, ctx.workspace_id, stats.touched)
    _status(ctx, document_id, "entities_extracted", entity_count=stats.entities)
    _status(ctx, document_id, "embedding")
    report.stages["after_graph"] = _summary(ingest.after_graph(ctx, touched=True, dense=dense))
    _status(ctx, document_id, "embedded")
    report.status = "embedded"


def _summary(done: ingest.IngestReport) -> dict[str, Any]:
    return {
        "communities": done.communities.communities if done.communities else None,
        "sparse_points": done.index.sparse_points if done.index else 0,
        "dense_points": done.index.dense_points if done.index else 0,
    }


def remove(ctx: PipelineContext, document_ids: Sequence[int]) -> int:
    """Delete uploaded documents of the context's workspace with their chunks, mentions and vector
    points, rebuild what only they supported, and recompute the workspace's communities and
    index. Returns the documents removed (the stored files are the caller's)."""
    if not document_ids:
        return 0
    ids = list(document_ids)
    with logged_action(ctx.container.sessions, "process_document", job_id=ctx.job_id) as counts:
        with session_scope(ctx.container.sessions) as session:
            touched = delete_documents(session, ids)
            graph.rebuild(session, ctx.workspace_id, touched)
        index.delete_documents(ctx, ids)
        ingest.after_graph(ctx, touched=True)
        counts.details.append(f"removed documents {ids}: {len(touched)} graph targets recomputed")
    return len(ids)

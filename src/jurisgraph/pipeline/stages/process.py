"""parse → chunk → extract for each downloaded resource, then the graph of what changed.

A resource whose bytes were already processed (same sha256 and processing version) is
skipped. A file-level problem (malformed month, truncated file, wrong encoding) is logged
with its reason and every recoverable record is still processed; only an unreadable file
puts the resource in ``error``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from jurisgraph.db import Session, session_scope
from jurisgraph.engine.stj import ResourceKind, resource_date
from jurisgraph.errors import ProcessingError
from jurisgraph.metrics import PIPELINE_RECORDS, measured_stage
from jurisgraph.models import Resource, utcnow
from jurisgraph.pipeline import record_rows
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.helper_runner import open_messages
from jurisgraph.pipeline.logs import logged_action
from jurisgraph.pipeline.provenance import Targets
from jurisgraph.pipeline.record_rows import Batch, Done, Failed, Message, Parsed, PrepareJob
from jurisgraph.pipeline.repository import catalogue, documents
from jurisgraph.pipeline.stages import graph, index
from jurisgraph.pipeline.stages.selection import ResourceFilter, resource_kind, select_resources
from jurisgraph.pipeline.store import plan_resource, write_documents

log = structlog.get_logger(__name__)

PROCESSABLE = (
    "downloaded",
    "processing",
    "processed",
    "extracting_entities",
    "entities_extracted",
    "embedding",
    "embedded",
    "error",
)
COMPANIONS = {ResourceKind.PRECEDENTES: "processos.csv"}


@dataclass
class ProcessReport:
    """What a processing run did."""

    resources: int = 0
    skipped_unchanged: int = 0
    documents: int = 0
    records_skipped: int = 0
    file_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    touched: Targets = field(default_factory=set)
    #: what the store collected (see ``StoreStats.contributions``), over every resource
    contributions: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)


def fingerprint(sha256: str | None, companion_sha: str | None = None) -> str | None:
    """What ``processed_sha256`` records: the file's hash, its companion's and the processing version."""
    if sha256 is None:
        return None
    return hashlib.sha256(
        f"{sha256}|{companion_sha or ''}|{record_rows.PROCESSING_VERSION}".encode()
    ).hexdigest()


@measured_stage("process")
def run(
    ctx: PipelineContext, flt: ResourceFilter | None = None, *, force: bool = False, graph_now: bool = True
) -> ProcessReport:
    """Process every selected downloaded resource whose content changed; rebuild touched graph parts.

    ``graph_now=False`` leaves the graph for later (:func:`rebuild_pending`): the resources stay
    ``extracting_entities`` with their mentions stored, so several processes can each process
    some resources and one rebuild the graph after them all."""
    report = ProcessReport()
    with session_scope(ctx.container.sessions) as session:
        # left by an interrupted run
        earlier = graph.pending_targets(session, ctx.workspace_id) if graph_now else set()
        jobs = _jobs(ctx, session, flt or ResourceFilter(), force, report)
    settings = ctx.container.settings.pipeline
    helper = settings.prepare_in_helper and _total_bytes(jobs) >= settings.prepare_helper_min_bytes
    with open_messages([todo.job for todo in jobs], helper=helper) as messages:
        for done, todo in enumerate(jobs, start=1):
            ctx.progress("process", done - 1, len(jobs), todo.slug)
            _process_one(ctx, todo, messages, report)
    ctx.progress("process", len(jobs), len(jobs), "")
    # what a crash may leave out of step is either pending from before this run or touched by it
    if graph_now and (report.touched or earlier):
        with (
            logged_action(ctx.container.sessions, "extract_entities", job_id=ctx.job_id) as counts,
            session_scope(ctx.container.sessions) as session,
        ):
            # a target new in this run (no row yet) whose mentions are all in memory is built from
            # them; one left pending by an earlier, interrupted run is read back from its mentions
            fresh = graph.new_targets(session, ctx.workspace_id, report.touched) - earlier
            known = {t: items for t, items in report.contributions.items() if t in fresh}
            report.touched |= earlier
            nodes, edges = graph.rebuild(session, ctx.workspace_id, report.touched, known)
            graph.mark_built(session)
            counts.entities_extracted, counts.relationships_extracted = nodes, edges
            counts.details.append(f"graph rebuilt for {len(report.touched)} targets")
    return report


def rebuild_pending(ctx: PipelineContext) -> int:
    """Rebuild the graph of every target left pending (resources processed with
    ``graph_now=False``, or by an interrupted run); returns the targets rebuilt."""
    with (
        logged_action(ctx.container.sessions, "extract_entities", job_id=ctx.job_id) as counts,
        session_scope(ctx.container.sessions) as session,
    ):
        targets = graph.pending_targets(session, ctx.workspace_id)
        nodes, edges = graph.rebuild(session, ctx.workspace_id, targets) if targets else (0, 0)
        graph.mark_built(session)
        counts.entities_extracted, counts.relationships_extracted = nodes, edges
        counts.details.append(f"graph rebuilt for {len(targets)} targets")
    return len(targets)


@dataclass(frozen=True)
class _Todo:
    """A resource to process: what to prepare, its dataset and portal id, its new fingerprint."""

    job: PrepareJob
    slug: str
    resource_key: str
    fingerprint: str | None


def _jobs(
    ctx: PipelineContext, session: Session, flt: ResourceFilter, force: bool, report: ProcessReport
) -> list[_Todo]:
    """The selected resources whose content (or companion) changed since they were processed."""
    pipeline = ctx.container.settings.pipeline
    jobs: list[_Todo] = []
    for row, slug in select_resources(session, flt):
        if row.status not in PROCESSABLE or not row.storage_path:
            continue
        kind = resource_kind(row, slug)
        companion = _companion(session, row, kind)
        print_ = fingerprint(row.sha256, companion[1] if companion else None)
        if kind is None or (not force and row.processed_sha256 == print_ and row.processed_at is not None):
            report.skipped_unchanged += 1
            continue
        job = PrepareJob(
            row_id=row.id,
            kind=kind,
            path=row.storage_path,
            companion_path=companion[0] if companion else None,
            name=row.name,
            url=row.url,
            workspace_id=ctx.workspace_id,
            chunk_size=pipeline.chunk_size,
            chunk_overlap=pipeline.chunk_overlap,
            processing_version=record_rows.PROCESSING_VERSION,
        )
        jobs.append(_Todo(job, slug, row.resource_id, print_))
    return jobs


def _total_bytes(jobs: Sequence[_Todo]) -> int:
    total = 0
    for todo in jobs:
        for path in (todo.job.path, todo.job.companion_path):
            if path and Path(path).is_file():
                total += Path(path).stat().st_size
    return total


def _next(messages: Iterator[Message], job: PrepareJob) -> Message:
    message = next(messages, None)
    if message is None or message.row_id != job.row_id:
        raise ProcessingError(f"preparation of {job.name} ended out of order")
    return message


def _process_one(
    ctx: PipelineContext, todo: _Todo, messages: Iterator[Message], report: ProcessReport
) -> None:
    sessions = ctx.container.sessions
    job = todo.job
    with session_scope(sessions) as session:
        catalogue.resource(session, job.row_id).status = "processing"
    with logged_action(
        sessions, "process_json", dataset_slug=todo.slug, resource_id=todo.resource_key, job_id=ctx.job_id
    ) as counts:
        parsed = _next(messages, job)
        if isinstance(parsed, Failed):
            _fail(ctx, job.row_id, parsed.message)
            report.failed.append(f"{job.name}: {parsed.message}")
            counts.error_message = parsed.message
            return
        if not isinstance(parsed, Parsed):
            raise ProcessingError(f"preparation of {job.name} sent {type(parsed).__name__} first")
        _note_problems(parsed, job.name, counts.details, report)
        with session_scope(sessions) as session:
            write, stats = plan_resource(
                session, workspace_id=ctx.workspace_id, resource_id=job.row_id, hashes=parsed.hashes
            )
            while not isinstance(message := _next(messages, job), Done):
                if not isinstance(message, Batch):
                    raise ProcessingError(f"preparation of {job.name} sent {type(message).__name__}")
                write_documents(
                    session,
                    workspace_id=ctx.workspace_id,
                    resource_id=job.row_id,
                    documents=[doc for doc in message.documents if doc.key in write],
                    stats=stats,
                )
            row = catalogue.resource(session, job.row_id)
            row.record_count = len(parsed.hashes)
            row.skipped_count = len(parsed.skipped)
            row.chunk_count, row.entity_count, row.relationship_count = documents.resource_totals(
                session, row.id
            )
            row.processed_at = utcnow()
            row.processed_sha256 = todo.fingerprint
            row.status = "extracting_entities"  # until the graph is rebuilt from its mentions
            row.error_message = "; ".join(e.message for e in parsed.errors)[:4000] or None
        index.delete_documents(ctx, stats.removed_document_ids)
        records = len(parsed.hashes)
        counts.records_processed = records
        counts.chunks_generated = stats.chunks
        counts.entities_extracted = stats.entities
        counts.relationships_extracted = stats.relations
        counts.details.append(
            f"{job.name}: {stats.inserted} new, {stats.replaced} replaced, {stats.unchanged} unchanged, "
            f"{stats.deleted} removed, {len(parsed.skipped)} records skipped"
        )
        if parsed.errors:
            counts.error_message = "; ".join(e.message for e in parsed.errors)[:4000]
    PIPELINE_RECORDS.labels("process", "ok").inc(records)
    PIPELINE_RECORDS.labels("process", "skipped").inc(len(parsed.skipped))
    report.resources += 1
    report.documents += records
    report.records_skipped += len(parsed.skipped)
    report.touched |= stats.touched
    for target, items in stats.contributions.items():
        merged = report.contributions.setdefault(target, {})
        for text, count in items.items():
            merged[text] = merged.get(text, 0) + count


def _companion(session: Session, row: Resource, kind: ResourceKind | None) -> tuple[str, str | None] | None:
    """The downloaded file parsed together with ``row``: processos.csv for temas.csv, and the
    day's ZIP of full texts (same date in its name) for an íntegras metadata file."""
    siblings = catalogue.sibling_files(session, row)
    if kind is ResourceKind.INTEGRA_METADATA:
        day = resource_date(row.name)
        matches = [
            s for s in siblings if s[0].lower().endswith(".zip") and day and resource_date(s[0]) == day
        ]
    else:
        wanted = COMPANIONS.get(kind) if kind else None
        matches = [s for s in siblings if wanted and s[0] == wanted]
    for _name, path, sha in sorted(matches):
        if path and Path(path).exists():
            return path, sha
    return None


def _note_problems(result: Parsed, name: str, details: list[str], report: ProcessReport) -> None:
    for error in result.errors:
        message = f"{name}: {error.code}: {error.message}"
        details.append(message)
        report.file_errors.append(message)
        log.error("resource_file_error", resource=name, code=error.code, error=error.message)
    for skip in result.skipped[:50]:
        details.append(f"{name}: skipped record #{skip.index} ({skip.record_id or '-'}): {skip.reason}")
    for skip in result.skipped:
        log.info(
            "record_skipped", resource=name, index=skip.index, record_id=skip.record_id, reason=skip.reason
        )
    if result.skipped:
        reasons = sorted({skip.reason for skip in result.skipped})
        log.warning("records_skipped", resource=name, count=len(result.skipped), reasons=reasons[:5])


def _fail(ctx: PipelineContext, row_id: int, message: str) -> None:
    with session_scope(ctx.container.sessions) as session:
        row = catalogue.resource(session, row_id)
        row.status, row.error_message = "error", message[:4000]
    log.error("resource_failed", resource_row=row_id, error=message)

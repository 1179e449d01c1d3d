"""What the pages, the API and the CLI show of the datasets: the catalogue by dataset, resources
with their state, the pipeline log, jobs with live progress, corpus counts, LLM spend and the
Painel. Every read takes the caller's :class:`Session` (the ledger reads through the container's
sessions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from jurisgraph.datasets import repository
from jurisgraph.db import Session
from jurisgraph.errors import NotFound
from jurisgraph.gateway.usage import usage_report
from jurisgraph.jobs import JobQueue
from jurisgraph.models import Chunk, Community, Document, ExtractionLog, GraphEdge, GraphNode, Job, Resource
from jurisgraph.runtime import Container


def overview(session: Session, *, limit: int | None = None, offset: int = 0) -> list[dict[str, object]]:
    """Datasets with their resource counts by status, by slug (a page of them when ``limit`` is given)."""
    found: dict[str, dict[str, object]] = {}
    for slug, title, status, count in repository.resource_status_counts(session):
        entry = found.setdefault(slug, {"slug": slug, "title": title, "statuses": {}})
        if status is not None:
            statuses = entry["statuses"]
            assert isinstance(statuses, dict)
            statuses[status] = count
    rows = list(found.values())
    return rows[offset : None if limit is None else offset + limit]


def resource_dict(row: Resource) -> dict[str, Any]:
    """A resource with its state and counts, as JSON-ready data."""
    return {
        "id": row.resource_id,
        "name": row.name,
        "format": row.format,
        "size": row.file_size,
        "status": row.status,
        "error": row.error_message,
        "records": row.record_count,
        "skipped": row.skipped_count,
        "chunks": row.chunk_count,
        "entities": row.entity_count,
        "relations": row.relationship_count,
        "sha256": row.sha256,
        "last_modified": row.last_modified,
    }


def resources(
    session: Session, slug: str, *, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Resources of one dataset with their state and counts, by name; an unknown dataset is
    :class:`NotFound` (a known one may have no resources yet)."""
    if not repository.dataset_exists(session, slug):
        raise NotFound(f"dataset {slug!r} not found")
    return [resource_dict(r) for r in repository.resources_of(session, slug, limit=limit, offset=offset)]


def latest_logs(session: Session, limit: int = 50, offset: int = 0) -> list[ExtractionLog]:
    """The latest pipeline actions, newest first."""
    return repository.latest_logs(session, limit, offset)


def log_dict(row: ExtractionLog) -> dict[str, Any]:
    """A pipeline action as JSON-ready data."""
    return {
        "id": row.id,
        "action": row.action,
        "status": row.status,
        "dataset": row.dataset_slug,
        "resource": row.resource_id,
        "records": row.records_processed,
        "chunks": row.chunks_generated,
        "entities": row.entities_extracted,
        "relations": row.relationships_extracted,
        "embeddings": row.embeddings_generated,
        "duration_ms": row.duration_ms,
        "error": row.error_message,
        "details": row.details,
        "created_at": row.created_at.isoformat(),
    }


def job_dict(row: Job, jobs: JobQueue) -> dict[str, Any]:
    """A job's state, its live progress while ``jobs`` runs it, and its result."""
    return {
        "id": row.id,
        "kind": row.kind,
        "status": row.status,
        "payload": row.payload,
        "progress": jobs.live_progress(row.id) or row.progress,
        "result": row.result,
        "error": row.error,
        "stage": row.stage,
        "attempts": row.attempts,
        "parent_id": row.parent_id,
        "worker": row.locked_by,
        "heartbeat_at": row.heartbeat_at.isoformat() if row.heartbeat_at else None,
        "created_at": row.created_at.isoformat(),
        "started_at": row.started_at.isoformat() if row.started_at else None,
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
    }


def job(session: Session, jobs: JobQueue, job_id: str) -> dict[str, Any]:
    """A job's state, its live progress while ``jobs`` runs it, and its result."""
    row = repository.job(session, job_id)
    if row is None:
        raise NotFound(f"job {job_id!r} not found")
    return job_dict(row, jobs)


#: job states that are not over yet
ACTIVE_JOBS = ("queued", "running", "waiting")


def list_jobs(
    session: Session, jobs: JobQueue, *, active: bool = False, limit: int = 20, offset: int = 0
) -> list[dict[str, Any]]:
    """Jobs newest first (``active``: queued or running only), with live progress."""
    rows = repository.jobs(session, ACTIVE_JOBS if active else None, min(max(limit, 1), 200), offset)
    return [job_dict(r, jobs) for r in rows]


def log_page(
    session: Session,
    *,
    action: str | None = None,
    status: str | None = None,
    dataset: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ExtractionLog], int]:
    """One page of pipeline actions matching the filters, newest first, and how many match."""
    return repository.logs_page(
        session,
        action=action or None,
        status=status or None,
        dataset=dataset or None,
        limit=min(max(limit, 1), 500),
        offset=max(offset, 0),
    )


def log_actions(session: Session) -> list[str]:
    """The actions the pipeline log holds (for filters)."""
    return repository.log_actions(session)


def corpus_counts(session: Session) -> dict[str, int]:
    """Documents, nodes and edges stored (every workspace)."""
    return {
        "documents": repository.count(session, Document),
        "nodes": repository.count(session, GraphNode),
        "edges": repository.count(session, GraphEdge),
    }


def corpus_stats(session: Session) -> dict[str, int]:
    """What the dashboard shows (every workspace): :func:`corpus_counts`, chunks, communities, and
    the chunks that have their dense vector (filled in by a background job after ingestion) and
    those still waiting for one."""
    counts = corpus_counts(session)
    return {
        "documents": counts["documents"],
        "chunks": repository.count(session, Chunk),
        "nodes": counts["nodes"],
        "edges": counts["edges"],
        "communities": repository.count(session, Community),
        "dense_chunks": repository.count_chunks(session, dense=True),
        # 0 once the background job is done: chunks that get no dense vector never wait
        "dense_pending": repository.count_chunks(session, dense=False),
    }


def llm_spend(container: Container, *, days: int = 30) -> dict[str, Any]:
    """LLM calls, tokens and cost (USD) of the last ``days`` days and of today (UTC), from the ledger."""
    today = datetime.now(UTC).date()
    rows = usage_report(container.sessions, by=("day",), since=today - timedelta(days=days - 1))
    today_rows = [r for r in rows if r.group.get("day") == today.isoformat()]
    return {
        "days": days,
        "calls": sum(r.calls for r in rows),
        "cached": sum(r.cached for r in rows),
        "failed": sum(r.failed for r in rows),
        "tokens_in": sum(r.tokens_in for r in rows),
        "tokens_out": sum(r.tokens_out for r in rows),
        "cost_usd": round(sum(r.cost_usd for r in rows), 6),
        "today_cost_usd": round(sum(r.cost_usd for r in today_rows), 6),
    }


def dashboard(session: Session, container: Container) -> dict[str, Any]:
    """What the Painel shows: corpus counts, active jobs with progress, LLM spend."""
    return {
        "counts": corpus_stats(session),
        "jobs": list_jobs(session, container.jobs(), active=True),
        "llm": llm_spend(container),
    }

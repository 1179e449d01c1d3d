"""``extraction_logs`` rows: one per pipeline action, with counts, duration and errors."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import structlog

from jurisgraph.db import Session, SessionFactory, session_scope
from jurisgraph.models import ExtractionLog
from jurisgraph.pipeline.repository import logs as repository

log = structlog.get_logger(__name__)


@dataclass
class ActionCounts:
    """Counts an action fills in while it runs."""

    records_processed: int = 0
    chunks_generated: int = 0
    entities_extracted: int = 0
    relationships_extracted: int = 0
    embeddings_generated: int = 0
    details: list[str] = field(default_factory=list)
    error_message: str | None = None


@contextmanager
def logged_action(
    sessions: SessionFactory,
    action: str,
    *,
    dataset_slug: str | None = None,
    resource_id: str | None = None,
    document_id: int | None = None,
    job_id: str | None = None,
) -> Iterator[ActionCounts]:
    """Run an action and write its log row (completed, or failed with the error) in its own commit."""
    counts = ActionCounts()
    started = time.perf_counter()
    status = "completed"
    error: str | None = None
    try:
        yield counts
    except Exception as exc:
        status = "failed"
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        row = _row(
            action,
            counts,
            status=status,
            error=error,
            duration_ms=int((time.perf_counter() - started) * 1000),
            dataset_slug=dataset_slug,
            resource_id=resource_id,
            document_id=document_id,
            job_id=job_id,
        )
        try:
            with session_scope(sessions) as session:
                repository.add_log(session, ExtractionLog(**row))
        except Exception as exc:  # the action's own outcome matters more than its log row
            log.error(
                "extraction_log_write_failed", action=action, error=f"{type(exc).__name__}: {exc}"[:300]
            )
        _announce(row)


def record_action(
    session: Session,
    action: str,
    counts: ActionCounts,
    *,
    document_id: int | None = None,
    job_id: str | None = None,
) -> None:
    """Add the log row of an action that completed at once (no duration) to the caller's
    transaction: the caller commits it with the rest of its work."""
    row = _row(action, counts, status="completed", document_id=document_id, job_id=job_id)
    repository.add_log(session, ExtractionLog(**row))
    _announce(row)


def _row(
    action: str,
    counts: ActionCounts,
    *,
    status: str,
    error: str | None = None,
    duration_ms: int = 0,
    dataset_slug: str | None = None,
    resource_id: str | None = None,
    document_id: int | None = None,
    job_id: str | None = None,
) -> dict[str, Any]:
    return {
        "dataset_slug": dataset_slug,
        "resource_id": resource_id,
        "document_id": document_id,
        "job_id": job_id,
        "action": action,
        "status": status,
        "details": "\n".join(counts.details)[:60000] or None,
        "records_processed": counts.records_processed,
        "chunks_generated": counts.chunks_generated,
        "entities_extracted": counts.entities_extracted,
        "relationships_extracted": counts.relationships_extracted,
        "embeddings_generated": counts.embeddings_generated,
        "duration_ms": duration_ms,
        "error_message": error or counts.error_message,
    }


def _announce(row: dict[str, Any]) -> None:
    log.info("action", **{k: v for k, v in row.items() if k != "details" and v is not None})

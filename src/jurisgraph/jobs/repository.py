"""Queries on ``jobs`` (background work and its outcome)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jurisgraph.models import Job


def add_job(session: Session, job: Job) -> None:
    """Insert ``job`` with the next flush."""
    session.add(job)


def job(session: Session, job_id: str) -> Job | None:
    """The job ``job_id``, if any."""
    return session.get(Job, job_id)


def start_job(session: Session, job_id: str, now: datetime) -> None:
    """The existing job ``job_id`` is running from ``now``, one attempt more."""
    row = session.get_one(Job, job_id)
    row.status, row.started_at, row.attempts = "running", now, row.attempts + 1


def finish_job(
    session: Session,
    job_id: str,
    *,
    status: str,
    result: dict[str, Any] | None,
    error: str | None,
    progress: dict[str, Any] | None,
    now: datetime,
) -> None:
    """The existing job ``job_id`` ended at ``now`` with ``status``, its result or error and last progress."""
    row = session.get_one(Job, job_id)
    row.status, row.result, row.error, row.finished_at = status, result, error, now
    row.progress = progress


def count_by_status(session: Session) -> dict[str, int]:
    """How many jobs are in each status (statuses without jobs are absent)."""
    rows = session.execute(select(Job.status, func.count()).group_by(Job.status))
    return {str(status): int(count) for status, count in rows}

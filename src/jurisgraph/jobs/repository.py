"""Queries on ``jobs`` (background work and its outcome).

Every change of a job's owner is one guarded ``UPDATE`` (a row-level claim): it names the
state it expects (``status``, ``locked_by``, a stale ``heartbeat_at``) and only the caller
whose statement changed a row owns the job, however many workers race for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from jurisgraph.models import Job

#: states a job does not leave by itself
FINAL = ("done", "failed", "budget_exhausted", "cancelled")


def add_job(session: Session, job: Job) -> None:
    """Insert ``job`` with the next flush."""
    session.add(job)


def job(session: Session, job_id: str) -> Job | None:
    """The job ``job_id``, if any."""
    return session.get(Job, job_id)


def _changed(session: Session, statement: Any) -> bool:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return bool(getattr(result, "rowcount", 0) == 1)


def claim(session: Session, job_id: str, worker: str, now: datetime) -> bool:
    """Take the queued job ``job_id`` for ``worker`` (running, one attempt more); False when it is
    not queued any more (another worker took it, or it was cancelled or finished)."""
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status == "queued")
        .values(
            status="running",
            locked_by=worker,
            heartbeat_at=now,
            started_at=now,
            attempts=Job.attempts + 1,
            error=None,
        ),
    )


def beat(session: Session, job_id: str, worker: str, now: datetime, *, progress: Any) -> bool:
    """Refresh the heartbeat (and progress) of a job ``worker`` holds; False when it lost it.

    ``stage`` is not touched: it is the job's own phase (what a parent waits in, see
    :class:`~jurisgraph.jobs.registry.Waiting`), which a job taken again resumes from; the
    pipeline stage being run is in ``progress``."""
    values: dict[str, Any] = {"heartbeat_at": now}
    if progress is not None:
        values["progress"] = progress
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.locked_by == worker, Job.status == "running")
        .values(**values),
    )


def release(
    session: Session,
    job_id: str,
    worker: str,
    *,
    status: str,
    result: dict[str, Any] | None,
    error: str | None,
    progress: Any,
    now: datetime,
    stage: str | None = None,
) -> bool:
    """End (or, with ``waiting`` in ``stage``, park) the job ``worker`` holds; False when it lost it."""
    final = status in FINAL
    values: dict[str, Any] = {
        "status": status,
        "result": result,
        "error": error,
        "locked_by": None,
        "finished_at": now if final else None,
    }
    if progress is not None:
        values["progress"] = progress
    if stage is not None:
        values["stage"] = stage
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.locked_by == worker, Job.status == "running")
        .values(**values),
    )


def note_attempt(session: Session, job_id: str, worker: str, error: str) -> None:
    """One more attempt of a job ``worker`` holds, after the transient ``error``."""
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.locked_by == worker)
        .values(attempts=Job.attempts + 1, error=error)
        .execution_options(synchronize_session=False)
    )


def stale(session: Session, cutoff: datetime, limit: int = 50) -> list[tuple[str, str | None]]:
    """Running jobs whose heartbeat is older than ``cutoff``: (id, holder)."""
    rows = session.execute(
        select(Job.id, Job.locked_by)
        .where(Job.status == "running", Job.heartbeat_at < cutoff)
        .order_by(Job.heartbeat_at)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in rows]


def requeue_stale(session: Session, job_id: str, holder: str | None, cutoff: datetime, now: datetime) -> bool:
    """Put back in the queue a running job whose holder stopped beating; False when another
    reaper did, or the holder came back."""
    holder_is = Job.locked_by.is_(None) if holder is None else Job.locked_by == holder
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status == "running", holder_is, Job.heartbeat_at < cutoff)
        .values(status="queued", locked_by=None, heartbeat_at=now),
    )


def unclaimed(session: Session, cutoff: datetime, limit: int = 200) -> list[str]:
    """Jobs queued before ``cutoff`` and not sent again since: their message may have died in
    the prefetch buffer of a killed worker."""
    rows = session.scalars(
        select(Job.id)
        .where(
            Job.status == "queued",
            Job.created_at < cutoff,
            (Job.heartbeat_at.is_(None)) | (Job.heartbeat_at < cutoff),
        )
        .order_by(Job.created_at)
        .limit(limit)
    )
    return list(rows)


def mark_resent(session: Session, job_id: str, cutoff: datetime, now: datetime) -> bool:
    """Note that the queued job's message is sent again now; False when another reaper did."""
    return _changed(
        session,
        update(Job)
        .where(
            Job.id == job_id,
            Job.status == "queued",
            (Job.heartbeat_at.is_(None)) | (Job.heartbeat_at < cutoff),
        )
        .values(heartbeat_at=now),
    )


def orphaned_parents(session: Session, limit: int = 50) -> list[str]:
    """Waiting jobs none of whose children is left (the child that ended last died before waking it)."""
    child = aliased(Job)
    pending = select(child.id).where(child.parent_id == Job.id, child.status.not_in(FINAL))
    return list(
        session.scalars(select(Job.id).where(Job.status == "waiting", ~pending.exists()).limit(limit))
    )


def queued_ids(session: Session, kinds: Sequence[str] | None = None) -> list[str]:
    """Jobs waiting for a worker, oldest first."""
    query = select(Job.id).where(Job.status == "queued").order_by(Job.created_at)
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    return list(session.scalars(query))


def cancel(session: Session, job_id: str, now: datetime) -> bool:
    """Cancel a job that is not over (its worker notices at its next heartbeat); False otherwise."""
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status.in_(("queued", "running", "waiting")))
        .values(status="cancelled", locked_by=None, finished_at=now, error="cancelled"),
    )


def cancel_children(session: Session, parent_id: str, now: datetime) -> None:
    """Cancel the children of ``parent_id`` that are not over."""
    session.execute(
        update(Job)
        .where(Job.parent_id == parent_id, Job.status.in_(("queued", "running", "waiting")))
        .values(status="cancelled", locked_by=None, finished_at=now, error="cancelled")
        .execution_options(synchronize_session=False)
    )


def requeue(session: Session, job_id: str) -> bool:
    """Queue again a job that failed or was cancelled; False when it is not in such a state."""
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status.in_(("failed", "cancelled", "budget_exhausted")))
        .values(status="queued", locked_by=None, error=None, result=None, finished_at=None),
    )


def children(session: Session, parent_id: str) -> list[Job]:
    """The jobs ``parent_id`` fanned out, by id."""
    return list(session.scalars(select(Job).where(Job.parent_id == parent_id).order_by(Job.id)))


def active_children(session: Session, parent_id: str) -> int:
    """Children of ``parent_id`` that are not over."""
    query = select(func.count()).where(Job.parent_id == parent_id, Job.status.not_in(FINAL))
    return int(session.scalar(query) or 0)


def wake_parent(session: Session, parent_id: str) -> bool:
    """Queue the waiting ``parent_id`` for its finish stage; False unless this call did it (so
    however many children end at once, the finish stage is queued once)."""
    return _changed(
        session,
        update(Job)
        .where(Job.id == parent_id, Job.status == "waiting")
        .values(status="queued", locked_by=None),
    )


def active_payloads(session: Session, kind: str) -> list[dict[str, Any]]:
    """Payloads of the jobs of ``kind`` queued, running or waiting."""
    rows = session.scalars(
        select(Job.payload).where(Job.kind == kind, Job.status.in_(("queued", "running", "waiting")))
    )
    return [dict(payload or {}) for payload in rows]


def count_active(session: Session, kind: str | None = None, user_id: int | None = None) -> int:
    """Jobs queued, running or waiting (of ``kind``, of ``user_id`` when given)."""
    query = select(func.count()).where(
        Job.status.in_(("queued", "running", "waiting")), Job.parent_id.is_(None)
    )
    if kind is not None:
        query = query.where(Job.kind == kind)
    if user_id is not None:
        query = query.where(Job.user_id == user_id)
    return int(session.scalar(query) or 0)


def count_by_status(session: Session) -> dict[str, int]:
    """How many jobs are in each status (statuses without jobs are absent)."""
    rows = session.execute(select(Job.status, func.count()).group_by(Job.status))
    return {str(status): int(count) for status, count in rows}

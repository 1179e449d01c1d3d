"""The ``JobQueue`` port: create job rows and hand their ids to whatever runs them."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from jurisgraph.db import Session, SessionFactory, session_scope
from jurisgraph.errors import Conflict, NotFound, TooManyJobs
from jurisgraph.jobs import repository
from jurisgraph.models import Job, utcnow


class JobQueue(Protocol):
    """Where jobs go: in-process threads (embedded) or Dramatiq on Redis (distributed)."""

    def submit(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        user_id: int | None = None,
        max_active: int | None = None,
        max_active_per_user: int | None = None,
    ) -> str:
        """Record a queued job of ``kind`` and queue it; returns its id at once."""
        ...

    def enqueue(self, job_id: str) -> None:
        """Hand the existing queued job ``job_id`` to a worker."""
        ...

    def active(self, kind: str | None = None, *, user_id: int | None = None) -> int:
        """Jobs queued or running (of ``kind``, of ``user_id``)."""
        ...

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Block until the job is over (for the CLI and tests)."""
        ...

    def live_progress(self, job_id: str) -> dict[str, Any] | None:
        """The progress this process holds in memory for a job it runs (else None)."""
        ...

    def stopping(self) -> bool:
        """True once the process is shutting down."""
        ...

    def should_stop(self, job_id: str | None = None) -> bool:
        """The process is stopping, or ``job_id`` was cancelled or taken by another worker."""
        ...

    def recover(self) -> None:
        """In a process that runs jobs for an API: from now on, take back the jobs of processes
        that died (stale heartbeat) and wake parents whose children all ended."""
        ...

    def close(self) -> None:
        """Stop running jobs cleanly."""
        ...


def admit(
    active: Callable[..., int],
    kind: str,
    *,
    user_id: int | None,
    max_active: int | None,
    max_active_per_user: int | None,
) -> None:
    """:class:`TooManyJobs` when ``max_active`` jobs of ``kind`` are queued or running, or, for a
    ``user_id``, ``max_active_per_user`` of theirs (``active(kind, user_id=…)`` counts them)."""
    if max_active is not None and active(kind) >= max_active:
        raise TooManyJobs(f"{max_active} {kind} job(s) already queued or running; try again later")
    mine = user_id is not None and max_active_per_user is not None
    if mine and active(kind, user_id=user_id) >= (max_active_per_user or 0):
        raise TooManyJobs(f"{max_active_per_user} {kind} job(s) of this requester already queued or running")


def new_job(
    sessions: SessionFactory,
    kind: str,
    payload: dict[str, Any],
    *,
    user_id: int | None = None,
    job_id: str | None = None,
    parent_id: str | None = None,
) -> str:
    """Insert a queued job row (committed); returns its id."""
    job_id = job_id or str(uuid.uuid4())
    with session_scope(sessions) as session:
        repository.add_job(
            session,
            Job(id=job_id, kind=kind, status="queued", payload=payload, user_id=user_id, parent_id=parent_id),
        )
    return job_id


def wait_for(
    sessions: SessionFactory, job_id: str, timeout: float | None = None, poll_s: float = 0.05
) -> str:
    """Poll the row until the job is over; returns its status (TimeoutError after ``timeout``)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with session_scope(sessions) as session:
            row = repository.job(session, job_id)
            if row is None:
                raise NotFound(f"job {job_id!r} not found")
            status = row.status
        if status in repository.FINAL:
            return status
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"job {job_id} still {status}")
        time.sleep(poll_s)


def active_payloads(session: Session, kind: str) -> list[dict[str, Any]]:
    """The payloads of the jobs of ``kind`` that are not over (queued, running or waiting)."""
    return repository.active_payloads(session, kind)


def is_over(session: Session, job_id: str) -> bool:
    """True when the job ``job_id`` ended (done, failed, cancelled…) or does not exist."""
    row = repository.job(session, job_id)
    return row is None or row.status in repository.FINAL


def new_children(
    sessions: SessionFactory, parent_id: str, kind: str, payloads: dict[str, dict[str, Any]]
) -> list[str]:
    """The children of ``parent_id`` for ``payloads`` (key → payload), created once: a child's
    id is derived from its parent, kind and key, so a parent run again after a crash finds the
    children it made. Returns the ids of those still queued (to hand to workers)."""
    ids = {key: str(uuid.uuid5(uuid.UUID(parent_id), f"{kind}:{key}")) for key in payloads}
    with session_scope(sessions) as session:
        for key, payload in payloads.items():
            if repository.job(session, ids[key]) is None:
                repository.add_job(
                    session,
                    Job(id=ids[key], kind=kind, status="queued", payload=payload, parent_id=parent_id),
                )
    with session_scope(sessions) as session:
        return [row.id for row in repository.children(session, parent_id) if row.status == "queued"]


def child_outcomes(
    sessions: SessionFactory, parent_id: str
) -> list[tuple[str, str, dict[str, Any] | None, str | None]]:
    """(kind, status, result, error) of every child of ``parent_id``."""
    with session_scope(sessions) as session:
        return [
            (row.kind, row.status, row.result, row.error) for row in repository.children(session, parent_id)
        ]


def queued(session: Session, kind: str) -> list[str]:
    """Jobs of ``kind`` waiting for a worker, oldest first."""
    return repository.queued_ids(session, [kind])


def requeue_job(sessions: SessionFactory, job_id: str) -> str:
    """Queue again the failed or cancelled job ``job_id`` (committed); returns the status it had.
    :class:`NotFound` when there is no such job, :class:`Conflict` when it is not over or done."""
    with session_scope(sessions) as session:
        row = repository.job(session, job_id)
        if row is None:
            raise NotFound(f"job {job_id!r} not found")
        status = row.status
        if not repository.requeue(session, job_id):
            raise Conflict(f"job {job_id} is {status}: only a failed or cancelled job can be retried")
    return status


def cancel_job(sessions: SessionFactory, job_id: str) -> None:
    """Cancel the job ``job_id`` and its children that are not over (committed); a running job
    stops at its worker's next heartbeat. :class:`NotFound`, or :class:`Conflict` when it is over."""
    with session_scope(sessions) as session:
        row = repository.job(session, job_id)
        if row is None:
            raise NotFound(f"job {job_id!r} not found")
        status = row.status
        if not repository.cancel(session, job_id, utcnow()):
            raise Conflict(f"job {job_id} is {status}: it cannot be cancelled")
        repository.cancel_children(session, job_id, utcnow())

"""Running one job from its row: claim, heartbeat, retries of transient errors, outcome, wake-up.

The same code runs jobs in a thread of the API process (embedded) and in ``jurisgraph worker``
processes (Dramatiq). A job is claimed with a guarded ``UPDATE`` (only one worker gets it),
its holder refreshes ``heartbeat_at`` while it runs, and the outcome is written only while the
holder still owns the row (a cancelled job, or one a reaper gave to another worker after a
stale heartbeat, is left alone). Transient errors (see :func:`is_transient`) are retried with
the service's backoff; any other error fails the job at once with its message.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy.exc import OperationalError

from jurisgraph.db import SessionFactory, session_scope
from jurisgraph.errors import BudgetExhausted, JurisgraphError, RetryableUpstreamError, ServiceUnavailable
from jurisgraph.jobs import repository
from jurisgraph.jobs.registry import Waiting, lookup
from jurisgraph.kit.retry import RetryPolicy, transport_errors
from jurisgraph.models import utcnow

log = structlog.get_logger(__name__)

Enqueue = Callable[[str], None]


def worker_name() -> str:
    """A name unique to this process (host, pid and a random part): the ``locked_by`` of its jobs."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def is_transient(exc: BaseException) -> bool:
    """Worth running again: a retryable upstream failure, an unavailable component, a dropped
    connection or a database deadlock/lost connection; never a programming or input error."""
    if isinstance(exc, RetryableUpstreamError | ServiceUnavailable | OperationalError):
        return True
    if isinstance(exc, JurisgraphError):
        return False
    return isinstance(exc, (*transport_errors(), ConnectionError, TimeoutError))


@dataclass(frozen=True)
class JobTimings:
    """How often a holder beats, when a heartbeat is stale, and how transient errors are retried."""

    heartbeat_s: float = 10.0
    stale_s: float = 60.0
    max_retries: int = 3
    retry_initial_s: float = 1.0
    retry_max_s: float = 60.0


class Executor:
    """Runs jobs by id in the calling thread; ``context`` is what handlers receive (the container)."""

    def __init__(
        self,
        sessions: SessionFactory,
        context: Callable[[], Any],
        enqueue: Enqueue,
        timings: JobTimings,
        *,
        worker: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        requeue_on_stop: bool = False,
    ) -> None:
        self._sessions = sessions
        self._context = context
        self._enqueue = enqueue
        self.timings = timings
        self.worker = worker or worker_name()
        self._sleep = sleep
        #: a job cut short because this process stops goes back to the queue (another worker
        #: finishes it) instead of ending ``done`` with the work done so far
        self._requeue_on_stop = requeue_on_stop
        self._progress: dict[str, dict[str, Any]] = {}
        self._lost: set[str] = set()
        self.stopping = threading.Event()

    def live_progress(self, job_id: str) -> dict[str, Any] | None:
        """The progress a job this process runs last reported."""
        return self._progress.get(job_id)

    def should_stop(self, job_id: str | None = None) -> bool:
        """The process is stopping, or the job was cancelled or taken by another worker."""
        return self.stopping.is_set() or (job_id is not None and job_id in self._lost)

    def run(self, job_id: str) -> None:
        """Claim and run ``job_id``; nothing when another worker holds it or it is over."""
        with session_scope(self._sessions) as session:
            if not repository.claim(session, job_id, self.worker, utcnow()):
                log.info("job_not_claimed", job_id=job_id)
                return
            row = repository.job(session, job_id)
            assert row is not None
            kind, payload, parent_id = row.kind, dict(row.payload or {}), row.parent_id
            payload["_stage"] = row.stage
        structlog.contextvars.bind_contextvars(job_id=job_id)
        done = threading.Event()
        beater = threading.Thread(
            target=self._beat, args=(job_id, done), name=f"beat-{job_id[:8]}", daemon=True
        )
        beater.start()
        try:
            status, result, error = self._attempts(job_id, kind, payload)
        finally:
            done.set()
            beater.join()
            structlog.contextvars.unbind_contextvars("job_id")
        if self._requeue_on_stop and self.stopping.is_set() and job_id not in self._lost:
            self._put_back(job_id)
            return
        self._settle(job_id, parent_id, status, result, error)

    def _put_back(self, job_id: str) -> None:
        with session_scope(self._sessions) as session:
            owned = repository.release(
                session,
                job_id,
                self.worker,
                status="queued",
                result=None,
                error=None,
                progress=self._progress.pop(job_id, None),
                now=utcnow(),
            )
        if owned:
            log.info("job_put_back", job_id=job_id)
            self._enqueue(job_id)

    def _attempts(
        self, job_id: str, kind: str, payload: dict[str, Any]
    ) -> tuple[str, dict[str, Any] | Waiting | None, str | None]:
        policy = RetryPolicy(
            max_retries=self.timings.max_retries,
            initial_wait=self.timings.retry_initial_s,
            max_wait=self.timings.retry_max_s,
        )

        def progress(stage: str, done: int, total: int | None, message: str) -> None:
            self._progress[job_id] = {"stage": stage, "done": done, "total": total, "message": message}

        attempt = 0
        while True:
            attempt += 1
            try:
                handler = lookup(kind)
                return "done", handler(self._context(), job_id, payload, progress), None
            except BudgetExhausted as exc:
                return "budget_exhausted", None, exc.message
            except Exception as exc:
                message = exc.message if isinstance(exc, JurisgraphError) else f"{type(exc).__name__}: {exc}"
                if not is_transient(exc) or attempt > policy.max_retries or self.should_stop(job_id):
                    if not isinstance(exc, JurisgraphError):
                        log.exception("job_failed", job_id=job_id, kind=kind)
                    return "failed", None, message
                wait = policy.wait_for(attempt, exc)
                log.warning(
                    "job_retry", job_id=job_id, kind=kind, attempt=attempt, wait_s=wait, error=message
                )
                self._note_attempt(job_id, message)
                self._sleep(wait)

    def _note_attempt(self, job_id: str, message: str) -> None:
        """Record a failed attempt on the row; best effort: when the failure is the database
        itself, noting it fails too, and the retry must still happen."""
        try:
            with session_scope(self._sessions) as session:
                repository.note_attempt(session, job_id, self.worker, message)
        except OperationalError as exc:
            log.warning("job_attempt_not_noted", job_id=job_id, error=str(exc)[:200])

    def _settle(
        self,
        job_id: str,
        parent_id: str | None,
        status: str,
        result: dict[str, Any] | Waiting | None,
        error: str | None,
    ) -> None:
        progress = self._progress.pop(job_id, None)
        waiting = isinstance(result, Waiting)
        with session_scope(self._sessions) as session:
            owned = repository.release(
                session,
                job_id,
                self.worker,
                status="waiting" if waiting else status,
                result=None if waiting or result is None else dict(result),  # type: ignore[arg-type]
                error=error,
                progress=progress,
                now=utcnow(),
                stage=result.stage if isinstance(result, Waiting) else None,
            )
        self._lost.discard(job_id)
        if not owned:
            log.warning("job_lost", job_id=job_id, status=status)
            return
        log.info("job_settled", job_id=job_id, status="waiting" if waiting else status, error=error)
        if isinstance(result, Waiting):
            for child in result.children:
                self._enqueue(child)
            self.wake(job_id)
        if parent_id is not None:
            self.wake(parent_id)

    def wake(self, parent_id: str) -> None:
        """Queue the finish stage of ``parent_id`` when none of its children is left (once)."""
        with session_scope(self._sessions) as session:
            ready = repository.active_children(session, parent_id) == 0 and repository.wake_parent(
                session, parent_id
            )
        if ready:
            log.info("job_parent_woken", job_id=parent_id)
            self._enqueue(parent_id)

    def _beat(self, job_id: str, done: threading.Event) -> None:
        while not done.wait(self.timings.heartbeat_s):
            progress = self._progress.get(job_id)
            try:
                with session_scope(self._sessions) as session:
                    held = repository.beat(
                        session,
                        job_id,
                        self.worker,
                        utcnow(),
                        progress=progress,
                    )
            except OperationalError as exc:  # a busy database: beat again later
                log.warning("job_heartbeat_failed", job_id=job_id, error=str(exc)[:200])
                continue
            if not held:
                log.warning("job_heartbeat_lost", job_id=job_id)
                self._lost.add(job_id)
                return

    def reap(self) -> list[str]:
        """Queue again the running jobs whose holder's heartbeat is stale (returns their ids), send
        again the messages of jobs queued for longer than the stale delay (a killed worker may
        have held them), and wake waiting parents whose children all ended."""
        cutoff = utcnow() - timedelta(seconds=self.timings.stale_s)
        taken: list[str] = []
        with session_scope(self._sessions) as session:
            candidates = repository.stale(session, cutoff)
        for job_id, holder in candidates:
            with session_scope(self._sessions) as session:
                if not repository.requeue_stale(session, job_id, holder, cutoff, utcnow()):
                    continue
            log.warning("job_reaped", job_id=job_id, holder=holder)
            taken.append(job_id)
            self._enqueue(job_id)
        with session_scope(self._sessions) as session:
            waiting = repository.unclaimed(session, cutoff)
        for job_id in waiting:
            with session_scope(self._sessions) as session:
                if not repository.mark_resent(session, job_id, cutoff, utcnow()):
                    continue
            log.info("job_resent", job_id=job_id)
            self._enqueue(job_id)
        with session_scope(self._sessions) as session:
            parents = repository.orphaned_parents(session)
        for parent_id in parents:
            self.wake(parent_id)
        return taken

    def reap_forever(self) -> None:
        """Reap every third of the stale delay until the process stops (a worker's thread)."""
        while not self.stopping.wait(max(self.timings.stale_s / 3, 0.5)):
            try:
                self.reap()
            except Exception:
                log.exception("job_reaper_failed")


class ExecutorAnswers:
    """What a job queue answers from its :class:`Executor` (the in-process runner's and the
    Dramatiq worker's alike): live progress and whether to stop."""

    executor: Executor

    def live_progress(self, job_id: str) -> dict[str, Any] | None:
        """The progress a job this process runs last reported (None once it ended, or when another
        process runs it: the row holds it then)."""
        return self.executor.live_progress(job_id)

    def stopping(self) -> bool:
        """True once this process (the runner or the worker) is closing: long jobs poll it between
        batches."""
        return self.executor.should_stop()

    def should_stop(self, job_id: str | None = None) -> bool:
        """The process is stopping, or ``job_id`` was cancelled (or taken by another worker)."""
        return self.executor.should_stop(job_id)

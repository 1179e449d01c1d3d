"""In-process background jobs with their state in the ``jobs`` table.

One runner per process, held by :class:`jurisgraph.runtime.Container`. The embedded default
runs pipeline work on a small thread pool inside the API process (the embedded vector store
has a single owner). Progress is kept in memory while the job runs
and stored with its outcome; a job that raises ends ``failed`` with the error, never silently.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import structlog

from jurisgraph.db import SessionFactory, session_scope
from jurisgraph.errors import JurisgraphError, TooManyJobs
from jurisgraph.jobs import repository
from jurisgraph.models import Job, utcnow
from jurisgraph.progress import Progress

log = structlog.get_logger(__name__)

JobFn = Callable[[str, Progress], dict[str, Any]]


class InProcessJobs:
    """A thread pool that runs job functions and records their lifecycle."""

    def __init__(self, sessions: SessionFactory, *, workers: int = 1) -> None:
        self._sessions = sessions
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="job")
        self._futures: dict[str, Future[None]] = {}
        self._progress: dict[str, dict[str, Any]] = {}
        self._owners: dict[str, int | None] = {}
        self._kinds: dict[str, str] = {}
        self._admission = threading.Lock()
        self._stopping = threading.Event()

    def submit(
        self,
        kind: str,
        payload: dict[str, Any],
        fn: JobFn,
        *,
        user_id: int | None = None,
        max_active: int | None = None,
        max_active_per_user: int | None = None,
    ) -> str:
        """Queue ``fn(job_id, progress)``; returns the job id at once. With ``max_active``, refuse
        (:class:`TooManyJobs`) when that many jobs of ``kind`` are queued or running; with
        ``max_active_per_user`` and a ``user_id``, when that many are the user's."""
        with self._admission:
            if max_active is not None and self.active(kind) >= max_active:
                raise TooManyJobs(f"{max_active} {kind} job(s) already queued or running; try again later")
            if (
                user_id is not None
                and max_active_per_user is not None
                and self.active(kind, user_id=user_id) >= max_active_per_user
            ):
                raise TooManyJobs(
                    f"{max_active_per_user} {kind} job(s) of this requester already queued or running"
                )
            job_id = str(uuid.uuid4())
            with session_scope(self._sessions) as session:
                repository.add_job(
                    session, Job(id=job_id, kind=kind, status="queued", payload=payload, user_id=user_id)
                )
            self._owners[job_id], self._kinds[job_id] = user_id, kind
            self._futures[job_id] = self._pool.submit(self._run, job_id, fn)
        return job_id

    def active(self, kind: str | None = None, *, user_id: int | None = None) -> int:
        """Jobs of this runner queued or running (of ``kind``, of ``user_id`` when given)."""
        return sum(
            1
            for job_id, future in list(self._futures.items())
            if not future.done()
            and (kind is None or self._kinds.get(job_id) == kind)
            and (user_id is None or self._owners.get(job_id) == user_id)
        )

    def _run(self, job_id: str, fn: JobFn) -> None:
        structlog.contextvars.bind_contextvars(job_id=job_id)
        with session_scope(self._sessions) as session:
            repository.start_job(session, job_id, utcnow())

        def progress(stage: str, done: int, total: int | None, message: str) -> None:
            # kept in memory: a stage may hold the (SQLite) write lock while it reports
            self._progress[job_id] = {"stage": stage, "done": done, "total": total, "message": message}

        try:
            result = fn(job_id, progress)
            status, error = "done", None
        except JurisgraphError as exc:
            result, status, error = None, "failed", exc.message
        except Exception as exc:
            log.exception("job_failed", job_id=job_id)
            result, status, error = None, "failed", f"{type(exc).__name__}: {exc}"
        with session_scope(self._sessions) as session:
            repository.finish_job(
                session,
                job_id,
                status=status,
                result=result,
                error=error,
                progress=self._progress.pop(job_id, None),
                now=utcnow(),
            )
        structlog.contextvars.unbind_contextvars("job_id")

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Block until the job ends (for the CLI and tests)."""
        future = self._futures.get(job_id)
        if future is not None:
            future.result(timeout=timeout)

    def live_progress(self, job_id: str) -> dict[str, Any] | None:
        """The progress a running job last reported (None once it ended: then it is stored)."""
        return self._progress.get(job_id)

    def stopping(self) -> bool:
        """True once :meth:`close` was called: long jobs poll it between batches."""
        return self._stopping.is_set()

    def close(self) -> None:
        """Ask running jobs to stop, drop queued ones and wait for the pool."""
        self._stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

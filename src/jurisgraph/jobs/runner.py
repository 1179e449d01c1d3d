"""In-process background jobs (the embedded default) with their state in the ``jobs`` table.

One runner per process, held by :class:`jurisgraph.runtime.Container`. Jobs run by kind (see
:mod:`jurisgraph.jobs.registry`) on a small thread pool inside the API process (the embedded
vector store has a single owner), through the same :class:`~jurisgraph.jobs.execution.Executor`
as Dramatiq workers: claim, heartbeat, retries of transient errors, outcome.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import structlog

from jurisgraph.db import SessionFactory
from jurisgraph.jobs.execution import Executor, ExecutorAnswers, JobTimings
from jurisgraph.jobs.queue import admit, new_job, wait_for

log = structlog.get_logger(__name__)


class InProcessJobs(ExecutorAnswers):
    """A thread pool that runs jobs by id and records their lifecycle."""

    def __init__(
        self,
        sessions: SessionFactory,
        context: Callable[[], Any] = lambda: None,
        *,
        workers: int = 1,
        timings: JobTimings | None = None,
    ) -> None:
        self._sessions = sessions
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="job")
        self._futures: dict[str, Future[None]] = {}
        self._owners: dict[str, int | None] = {}
        self._kinds: dict[str, str] = {}
        self._admission = threading.Lock()
        self._reaper: threading.Thread | None = None
        self.executor = Executor(sessions, context, self.enqueue, timings or JobTimings())

    def submit(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        user_id: int | None = None,
        max_active: int | None = None,
        max_active_per_user: int | None = None,
    ) -> str:
        """Queue a job of ``kind``; returns its id at once. With ``max_active``, refuse
        (:class:`TooManyJobs`) when that many jobs of ``kind`` are queued or running; with
        ``max_active_per_user`` and a ``user_id``, when that many are the user's."""
        with self._admission:
            admit(
                self.active,
                kind,
                user_id=user_id,
                max_active=max_active,
                max_active_per_user=max_active_per_user,
            )
            job_id = new_job(self._sessions, kind, payload, user_id=user_id)
            self._owners[job_id], self._kinds[job_id] = user_id, kind
            self.enqueue(job_id)
        return job_id

    def enqueue(self, job_id: str) -> None:
        """Run the queued job ``job_id`` on the pool."""
        if self.executor.stopping.is_set():
            return
        self._futures[job_id] = self._pool.submit(self.executor.run, job_id)

    def active(self, kind: str | None = None, *, user_id: int | None = None) -> int:
        """Jobs submitted to this runner and not finished (of ``kind``, of ``user_id`` when given)."""
        return sum(
            1
            for job_id, future in list(self._futures.items())
            if job_id in self._kinds
            and not future.done()
            and (kind is None or self._kinds.get(job_id) == kind)
            and (user_id is None or self._owners.get(job_id) == user_id)
        )

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Block until the job is over (its children and finish stage included)."""
        wait_for(self._sessions, job_id, timeout)

    def recover(self) -> None:
        """Reap now and then every third of the stale delay on a daemon thread (once per runner):
        a job left ``running`` by an API process that died is run again here, from its row.
        Only the API process calls it, so a CLI command never takes jobs over."""
        with self._admission:
            if self._reaper is not None:
                return
            self._reaper = threading.Thread(target=self._reap, name="job-reaper", daemon=True)
        self._reaper.start()

    def _reap(self) -> None:
        try:
            self.executor.reap()
        except Exception:
            log.exception("job_reaper_failed")
        self.executor.reap_forever()

    def close(self) -> None:
        """Ask running jobs to stop, drop queued ones and wait for the pool."""
        self.executor.stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

"""Distributed jobs: Dramatiq on its Redis broker (``REDIS_URL`` set).

The API only records a queued job row and sends its id; ``jurisgraph worker`` processes on
any machine receive ids and run them through the same :class:`Executor` as the embedded
runner. A message is only a wake-up call: the row says what to do, the guarded claim says who
does it, so a message delivered twice (Dramatiq requeues those of a dead worker) or a job
queued again by a reaper runs once. Dramatiq's own retries and time limit are off (its
middleware list is empty): retries of transient errors are the executor's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import dramatiq
import structlog
from dramatiq.brokers.redis import RedisBroker

from jurisgraph.db import SessionFactory, session_scope
from jurisgraph.jobs import repository
from jurisgraph.jobs.execution import Executor, ExecutorAnswers, JobTimings
from jurisgraph.jobs.queue import admit, new_job, wait_for

log = structlog.get_logger(__name__)

#: queue of each kind (dense embedding may get workers of its own); every other kind: ``jobs``
QUEUES = {"embed": "embed"}
DEFAULT_QUEUE = "jobs"
ALL_QUEUES = (DEFAULT_QUEUE, "embed")


def queue_of(kind: str) -> str:
    """The Dramatiq queue jobs of ``kind`` go to."""
    return QUEUES.get(kind, DEFAULT_QUEUE)


class DramatiqJobs(ExecutorAnswers):
    """A :class:`~jurisgraph.jobs.queue.JobQueue` on Dramatiq's Redis broker."""

    def __init__(
        self,
        sessions: SessionFactory,
        redis_url: str,
        context: Callable[[], Any] = lambda: None,
        *,
        timings: JobTimings | None = None,
        namespace: str = "jurisgraph",
    ) -> None:
        self._sessions = sessions
        self.broker = RedisBroker(url=redis_url, middleware=[], namespace=namespace)  # type: ignore[no-untyped-call]
        self._actors = {
            queue: dramatiq.actor(broker=self.broker, actor_name=f"jurisgraph_{queue}", queue_name=queue)(
                self._run
            )
            for queue in ALL_QUEUES
        }
        self._admission = threading.Lock()
        self.executor = Executor(
            sessions, context, self.enqueue, timings or JobTimings(), requeue_on_stop=True
        )
        self._worker: dramatiq.Worker | None = None

    def _run(self, job_id: str) -> None:
        self.executor.run(job_id)

    def submit(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        user_id: int | None = None,
        max_active: int | None = None,
        max_active_per_user: int | None = None,
    ) -> str:
        """Record a queued job and send its id; the caps count the rows of every process."""
        with self._admission:
            admit(
                self.active,
                kind,
                user_id=user_id,
                max_active=max_active,
                max_active_per_user=max_active_per_user,
            )
            job_id = new_job(self._sessions, kind, payload, user_id=user_id)
        self.enqueue(job_id)
        return job_id

    def enqueue(self, job_id: str) -> None:
        """Send ``job_id`` to the queue of its kind."""
        with session_scope(self._sessions) as session:
            row = repository.job(session, job_id)
            kind = row.kind if row is not None else ""
        self._actors[queue_of(kind)].send(job_id)

    def active(self, kind: str | None = None, *, user_id: int | None = None) -> int:
        """Top-level jobs queued, running or waiting in any process."""
        with session_scope(self._sessions) as session:
            return repository.count_active(session, kind, user_id)

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Block until the job is over."""
        wait_for(self._sessions, job_id, timeout, poll_s=0.2)

    def work(self, queues: Iterable[str] | None = None, threads: int = 2, grace_s: float = 30.0) -> None:
        """Consume ``queues`` (all by default) with ``threads`` threads, and reap stale jobs,
        until :meth:`close` (a ``jurisgraph worker`` process); running jobs then have ``grace_s``
        seconds to notice :meth:`stopping` and go back to the queue."""
        chosen = set(queues or ALL_QUEUES)
        self._worker = dramatiq.Worker(self.broker, queues=chosen, worker_threads=threads, worker_timeout=200)
        self._worker.start()
        reaper = threading.Thread(target=self.executor.reap_forever, name="job-reaper", daemon=True)
        reaper.start()
        log.info("worker_started", worker=self.executor.worker, queues=sorted(chosen), threads=threads)
        self.executor.reap()
        self.executor.stopping.wait()
        self._worker.stop(timeout=int(grace_s * 1000))
        self.broker.close()

    def recover(self) -> None:
        """Nothing in an API process: every ``jurisgraph worker`` reaps (see :meth:`work`)."""

    def close(self) -> None:
        """Stop consuming (running jobs see :meth:`stopping`) and close the broker."""
        self.executor.stopping.set()
        if self._worker is None:
            self.broker.close()


def ping(redis_url: str, timeout_s: float = 3.0) -> None:
    """Raise when the Redis of ``redis_url`` does not answer within ``timeout_s``."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s)
    try:
        client.ping()
    finally:
        client.close()


def live_workers(redis_url: str, namespace: str = "jurisgraph", within_s: float = 60.0) -> int:
    """Broker processes whose heartbeat (Dramatiq's ``<namespace>:__heartbeats__`` set, refreshed by
    every consumer fetch) is younger than ``within_s`` seconds."""
    import time

    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=3.0, socket_timeout=3.0)
    try:
        now_ms = int(time.time() * 1000)
        found = client.zcount(f"{namespace}:__heartbeats__", now_ms - int(within_s * 1000), "+inf")
        return int(found)
    finally:
        client.close()

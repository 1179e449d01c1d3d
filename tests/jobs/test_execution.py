"""Running a job from its row: one claim wins, transient errors are retried with backoff and
others fail at once, a stale job is taken again, a parent is woken once by its last child."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from jurisgraph import migrations
from jurisgraph.config import load_settings
from jurisgraph.db import SessionFactory, build_engine, build_sessionmaker, session_scope
from jurisgraph.errors import InvalidInput, RetryableUpstreamError
from jurisgraph.jobs import InProcessJobs, Waiting, handler
from jurisgraph.jobs import repository as jobs_repository
from jurisgraph.jobs.execution import Executor, JobTimings, is_transient
from jurisgraph.jobs.queue import cancel_job, new_children, new_job, requeue_job
from jurisgraph.models import Job, utcnow

failures: list[BaseException] = []
calls: list[str] = []


@handler("test_flaky")
def flaky(context: Any, job_id: str, payload: dict[str, Any], progress: Any) -> dict[str, Any]:
    calls.append(job_id)
    if failures:
        raise failures.pop(0)
    progress("work", 1, 1, "done")
    return {"calls": len(calls), "payload": payload.get("n")}


@handler("test_parent")
def parent(context: Any, job_id: str, payload: dict[str, Any], progress: Any) -> dict[str, Any] | Waiting:
    if payload.get("_stage") is None:
        children = {str(n): {"n": n} for n in range(3)}
        return Waiting(tuple(new_children(context, job_id, "test_flaky", children)), "children")
    return {"finished_after": payload["_stage"]}


@pytest.fixture
def sessions() -> Iterator[SessionFactory]:
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    engine = build_engine(settings.database_url)
    yield build_sessionmaker(engine)
    engine.dispose()


@pytest.fixture(autouse=True)
def _reset() -> None:
    failures.clear()
    calls.clear()


def executor(sessions: SessionFactory, sent: list[str], **timings: Any) -> Executor:
    waits: list[float] = []
    runner = Executor(
        sessions,
        lambda: sessions,
        sent.append,
        JobTimings(heartbeat_s=0.05, retry_initial_s=0.01, retry_max_s=0.02, **timings),
        sleep=waits.append,
    )
    runner.waits = waits  # type: ignore[attr-defined]
    return runner


def row(sessions: SessionFactory, job_id: str) -> Job:
    with session_scope(sessions) as session:
        found = jobs_repository.job(session, job_id)
        assert found is not None
        session.expunge(found)
        return found


def test_only_one_of_many_workers_claims_a_job(sessions: SessionFactory) -> None:
    job_id = new_job(sessions, "test_flaky", {"n": 1})
    runners = [executor(sessions, []) for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda r: r.run(job_id), runners))
    assert calls == [job_id]
    done = row(sessions, job_id)
    assert (done.status, done.attempts, done.result, done.locked_by) == (
        "done",
        1,
        {"calls": 1, "payload": 1},
        None,
    )
    assert done.progress == {"stage": "work", "done": 1, "total": 1, "message": "done"}


def test_transient_errors_are_retried_with_backoff(sessions: SessionFactory) -> None:
    failures.extend(
        [RetryableUpstreamError("503 from the portal"), OperationalError("x", {}, Exception("gone"))]
    )
    job_id = new_job(sessions, "test_flaky", {})
    runner = executor(sessions, [], max_retries=3)
    runner.run(job_id)
    done = row(sessions, job_id)
    assert (done.status, done.attempts, done.error) == ("done", 3, None)
    assert len(runner.waits) == 2 and all(w > 0 for w in runner.waits)  # type: ignore[attr-defined]


def test_retries_end_with_the_last_transient_error(sessions: SessionFactory) -> None:
    failures.extend([RetryableUpstreamError("503 from the portal")] * 3)
    job_id = new_job(sessions, "test_flaky", {})
    executor(sessions, [], max_retries=2).run(job_id)
    failed = row(sessions, job_id)
    assert (failed.status, failed.attempts, failed.error) == ("failed", 3, "503 from the portal")


def test_a_permanent_error_fails_at_once_with_its_message(sessions: SessionFactory) -> None:
    failures.extend([InvalidInput("malformed month"), RetryableUpstreamError("never reached")])
    job_id = new_job(sessions, "test_flaky", {})
    runner = executor(sessions, [], max_retries=5)
    runner.run(job_id)
    failed = row(sessions, job_id)
    assert (failed.status, failed.attempts, failed.error) == ("failed", 1, "malformed month")
    assert runner.waits == [] and len(calls) == 1  # type: ignore[attr-defined]
    assert not is_transient(ValueError("bug")) and is_transient(ConnectionResetError())


def test_a_job_whose_worker_died_is_taken_again_once(sessions: SessionFactory) -> None:
    job_id = new_job(sessions, "test_flaky", {"n": 7})
    dead = executor(sessions, [])
    with session_scope(sessions) as session:  # a worker claimed it, then stopped beating
        assert jobs_repository.claim(session, job_id, dead.worker, utcnow() - timedelta(seconds=120))
    sent: list[str] = []
    reapers = [executor(sessions, sent, stale_s=60) for _ in range(3)]
    taken = [r.reap() for r in reapers]
    assert sorted(map(len, taken)) == [0, 0, 1] and sent == [job_id]
    reapers[0].run(job_id)
    done = row(sessions, job_id)
    assert (done.status, done.attempts, done.result) == ("done", 2, {"calls": 1, "payload": 7})


def test_a_fresh_heartbeat_is_left_alone(sessions: SessionFactory) -> None:
    job_id = new_job(sessions, "test_flaky", {})
    with session_scope(sessions) as session:
        assert jobs_repository.claim(session, job_id, "alive", utcnow())
    assert executor(sessions, [], stale_s=60).reap() == []
    assert row(sessions, job_id).locked_by == "alive"


def test_a_parent_waits_for_its_children_and_finishes_once(sessions: SessionFactory) -> None:
    sent: list[str] = []
    runner = executor(sessions, sent)
    job_id = new_job(sessions, "test_parent", {})
    runner.run(job_id)
    assert row(sessions, job_id).status == "waiting" and len(sent) == 3
    children = list(sent)
    with ThreadPoolExecutor(3) as pool:  # the children end together: the parent is queued once
        list(pool.map(runner.run, children))
    assert sent[3:] == [job_id]
    runner.run(job_id)
    done = row(sessions, job_id)
    assert (done.status, done.result, done.stage) == ("done", {"finished_after": "children"}, "children")
    assert executor(sessions, []).reap() == []


def test_retry_and_cancel(sessions: SessionFactory) -> None:
    failures.append(InvalidInput("bad"))
    job_id = new_job(sessions, "test_flaky", {})
    runner = executor(sessions, [])
    runner.run(job_id)
    assert requeue_job(sessions, job_id) == "failed"
    runner.run(job_id)
    assert row(sessions, job_id).status == "done"
    queued = new_job(sessions, "test_flaky", {})
    cancel_job(sessions, queued)
    runner.run(queued)  # a cancelled job is never claimed
    assert row(sessions, queued).status == "cancelled" and queued not in calls


def test_a_job_cut_short_by_a_stopping_worker_goes_back_to_the_queue(sessions: SessionFactory) -> None:
    sent: list[str] = []
    runner = Executor(
        sessions, lambda: sessions, sent.append, JobTimings(heartbeat_s=0.05), requeue_on_stop=True
    )

    @handler("test_until_stop")
    def until_stop(context: Any, job_id: str, payload: dict[str, Any], progress: Any) -> dict[str, Any]:
        runner.stopping.set()  # the worker received SIGTERM while the job ran
        assert runner.should_stop(job_id)
        return {"partial": True}

    job_id = new_job(sessions, "test_until_stop", {})
    runner.run(job_id)
    back = row(sessions, job_id)
    assert (back.status, back.locked_by, back.result, back.attempts) == ("queued", None, None, 1)
    assert sent == [job_id]


def test_an_api_process_runs_again_what_a_dead_one_left_running(sessions: SessionFactory) -> None:
    job_id = new_job(sessions, "test_flaky", {"n": 3})
    with session_scope(sessions) as session:  # the API process that held it died
        assert jobs_repository.claim(session, job_id, "api:4242:dead", utcnow() - timedelta(seconds=600))
    jobs = InProcessJobs(sessions, lambda: sessions, timings=JobTimings(stale_s=60))
    try:
        jobs.recover()
        jobs.recover()  # once per runner
        jobs.wait(job_id, timeout=30)
    finally:
        jobs.close()
    done = row(sessions, job_id)
    assert (done.status, done.result) == ("done", {"calls": 1, "payload": 3})
    assert calls == [job_id]

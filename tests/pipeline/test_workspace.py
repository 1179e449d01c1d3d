"""The pipeline context of a job stops when the process's jobs runner closes or the job is cancelled."""

from __future__ import annotations

import threading
from typing import Any

from jurisgraph import migrations
from jurisgraph.config import load_settings
from jurisgraph.db import session_scope
from jurisgraph.jobs import handler
from jurisgraph.jobs import repository as jobs_repository
from jurisgraph.jobs.queue import cancel_job
from jurisgraph.pipeline.workspace import public_context
from jurisgraph.progress import Progress
from jurisgraph.runtime import Container

STARTED = threading.Event()
POLLS: list[bool] = []


@handler("test_poll_until_stop")
def poll_until_stop(
    container: Container, job_id: str, payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    ctx = public_context(container, progress, job_id)
    STARTED.set()
    while not ctx.should_stop():
        POLLS.append(False)
        threading.Event().wait(0.01)
    return {"stopped_after_polls": len(POLLS)}


def test_a_job_context_stops_when_the_runner_closes() -> None:
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    STARTED.clear()
    POLLS.clear()
    try:
        job_id = container.jobs().submit("test_poll_until_stop", {})
        assert STARTED.wait(30)
        assert public_context(container).should_stop() is False  # not a job: never asked to stop
    finally:
        container.close()  # returns only once the job has ended
    closed = Container.build(settings)
    try:
        with session_scope(closed.sessions) as session:
            job = jobs_repository.job(session, job_id)
            assert job is not None
            assert job.status == "done"
            assert job.result == {"stopped_after_polls": len(POLLS)}
    finally:
        closed.close()


def test_a_job_context_stops_when_the_job_is_cancelled() -> None:
    settings = load_settings().model_copy(deep=True)
    settings.pipeline.job_heartbeat_s = 0.05
    migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    STARTED.clear()
    POLLS.clear()
    try:
        job_id = container.jobs().submit("test_poll_until_stop", {})
        assert STARTED.wait(30)
        cancel_job(container.sessions, job_id)
        container.jobs().wait(job_id, timeout=30)
        for _ in range(600):  # the holder notices at its next heartbeat and its function returns
            if container.jobs().active() == 0:
                break
            threading.Event().wait(0.05)
        assert container.jobs().active() == 0
        with session_scope(container.sessions) as session:
            job = jobs_repository.job(session, job_id)
            assert job is not None
            assert (job.status, job.result, job.locked_by) == ("cancelled", None, None)
    finally:
        container.close()

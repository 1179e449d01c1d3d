"""The pipeline context of a job stops when the process's jobs runner closes."""

from __future__ import annotations

import threading
from typing import Any

from jurisgraph import migrations
from jurisgraph.config import load_settings
from jurisgraph.db import session_scope
from jurisgraph.jobs import repository as jobs_repository
from jurisgraph.pipeline.workspace import public_context
from jurisgraph.progress import Progress
from jurisgraph.runtime import Container


def test_a_job_context_stops_when_the_runner_closes() -> None:
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    started = threading.Event()
    polls: list[bool] = []

    def work(job_id: str, progress: Progress) -> dict[str, Any]:
        ctx = public_context(container, progress, job_id)
        started.set()
        while not ctx.should_stop():
            polls.append(False)
            threading.Event().wait(0.01)
        return {"stopped_after_polls": len(polls)}

    try:
        job_id = container.jobs().submit("embed", {}, work)
        assert started.wait(30)
        assert public_context(container).should_stop() is False  # not a job: never asked to stop
    finally:
        container.close()  # returns only once the job has ended
    closed = Container.build(settings)
    try:
        with session_scope(closed.sessions) as session:
            job = jobs_repository.job(session, job_id)
            assert job is not None
            assert job.status == "done"
            assert job.result == {"stopped_after_polls": len(polls)}
    finally:
        closed.close()

"""The dense-embedding job after an ingestion is queued once: a finish stage run again (its worker
died after queueing the job) gets the id of the job still waiting instead of a second one."""

from __future__ import annotations

from pathlib import Path

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.jobs.queue import new_job, queued
from jurisgraph.pipeline.stages.selection import ResourceFilter
from tests.fixtures.homes import container_at


def test_a_waiting_embedding_job_is_reused(tmp_path: Path, small_mirror: Path) -> None:
    with container_at(
        tmp_path / "home", JURISGRAPH_PORTAL_URL=str(small_mirror), JURISGRAPH_PIPELINE_EMBED_ON_START="false"
    ) as container:
        service.ingest(container, None, ResourceFilter(), dense=False)
        with session_scope(container.sessions) as session:
            assert service.pending_dense(session) > 0
        waiting = new_job(container.sessions, "embed", {})  # queued by the first run of the stage
        container.jobs().close()  # nothing runs from here: the rows tell what was queued
        with session_scope(container.sessions) as session:
            assert service.start_background_embedding(session, container) == waiting
            assert queued(session, "embed") == [waiting]
        service.cancel_job(container, waiting)
        with session_scope(container.sessions) as session:
            fresh = service.start_background_embedding(session, container)
            assert fresh not in (None, waiting)
            assert queued(session, "embed") == [fresh]

"""The vector store (a Qdrant-protocol server) goes away while the dense-embedding job runs and
comes back on the same port and folder: the job retries its transient failures and ends with the
same points as a run that never saw the outage."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.jobs import repository as jobs_repository
from jurisgraph.pipeline.stages.selection import ResourceFilter
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fixtures.homes import container_at
from tests.fixtures.processes import free_port
from tests.fixtures.qdrant import qdrant_process
from tests.jobs.snapshots import vector_snapshot

pytestmark = pytest.mark.slow

DIM = 32
JOB_TIMEOUT_S = 120.0
OUTAGE_S = 6.0  # longer than the adapter's own retries (about 3.5 s): the job must retry


def variables(embeddings: FakeOpenAIServer, qdrant_url: str, mirror: Path) -> dict[str, str]:
    return {
        "JURISGRAPH_PORTAL_URL": str(mirror),
        "QDRANT_URL": qdrant_url,
        "JURISGRAPH_EMBEDDING_PROVIDER": "openai",
        "JURISGRAPH_EMBEDDING_BASE_URL": embeddings.base_url,
        "JURISGRAPH_EMBEDDING_DIM": str(DIM),
        "OPENAI_API_KEY": embeddings.api_key,
        "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
        "JURISGRAPH_PIPELINE_JOB_MAX_RETRIES": "8",
    }


def test_the_embedding_job_outlives_a_vector_store_outage(tmp_path: Path, small_mirror: Path) -> None:
    with FakeOpenAIServer(dim=DIM) as embeddings:
        with (
            qdrant_process(tmp_path / "qdrant-reference") as (_, url),
            container_at(tmp_path / "reference", **variables(embeddings, url, small_mirror)) as reference,
        ):
            service.ingest(reference, None, ResourceFilter(), dense=True)
            expected = vector_snapshot(reference)
        assert sum(points for points, _ in expected.values()) > 0

        port = free_port()
        folder = tmp_path / "qdrant"
        url = f"http://127.0.0.1:{port}"
        with container_at(tmp_path / "home", **variables(embeddings, url, small_mirror)) as container:
            with qdrant_process(folder, port):
                service.ingest(container, None, ResourceFilter(), dense=False)
            # the server is gone (stopped with its folder intact): the job starts and fails over and over
            with session_scope(container.sessions) as session:
                job_id = service.start_background_embedding(session, container)
            assert job_id is not None
            time.sleep(OUTAGE_S)
            with qdrant_process(folder, port):
                container.jobs().wait(job_id, timeout=JOB_TIMEOUT_S)
                with session_scope(container.sessions) as session:
                    row = jobs_repository.job(session, job_id)
                    assert row is not None
                    assert (row.status, row.error) == ("done", None)
                    assert row.attempts > 1  # it did meet the outage
                assert vector_snapshot(container) == expected

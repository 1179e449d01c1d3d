"""An ingestion fanned out per resource ends with the same rows and vector points as one run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.jobs import repository as jobs_repository
from jurisgraph.runtime import Container
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fixtures.homes import container_at
from tests.jobs.snapshots import table_snapshot, vector_snapshot

DIM = 32
TIMEOUT_S = 120


@pytest.fixture
def embeddings() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(dim=DIM) as server:
        yield server


def settings_for(mirror: Path, embeddings: FakeOpenAIServer) -> dict[str, str]:
    return {
        "JURISGRAPH_PORTAL_URL": str(mirror),
        "JURISGRAPH_EMBEDDING_PROVIDER": "openai",
        "JURISGRAPH_EMBEDDING_BASE_URL": embeddings.base_url,
        "JURISGRAPH_EMBEDDING_DIM": str(DIM),
        "OPENAI_API_KEY": embeddings.api_key,
    }


def ingest_and_wait(container: Container, *, fan_out: bool) -> tuple[str, dict[str, Any]]:
    """Submit an ingestion as the API does, wait for it and for its embedding job; its id and result."""
    job_id = service.submit_ingest(container, fan_out=fan_out)
    jobs = container.jobs()
    jobs.wait(job_id, timeout=TIMEOUT_S)
    with session_scope(container.sessions) as session:
        row = jobs_repository.job(session, job_id)
        assert row is not None and row.status == "done", (row.status, row.error) if row else None
        result = dict(row.result or {})
    if result.get("embedding_job"):
        jobs.wait(result["embedding_job"], timeout=TIMEOUT_S)
    return job_id, result


def test_fanned_out_ingestion_equals_one_run(
    tmp_path: Path, small_mirror: Path, embeddings: FakeOpenAIServer
) -> None:
    variables = settings_for(small_mirror, embeddings)
    with container_at(tmp_path / "one", **variables) as one:
        _, whole = ingest_and_wait(one, fan_out=False)
        expected_rows, expected_points = table_snapshot(one.engine), vector_snapshot(one)
    with container_at(tmp_path / "fanned", **variables) as fanned:
        parent, spread = ingest_and_wait(fanned, fan_out=True)
        with session_scope(fanned.sessions) as session:
            children = [(c.kind, c.status) for c in jobs_repository.children(session, parent)]
        assert sorted({kind for kind, _ in children}) == ["ingest_download", "ingest_process"]
        assert {status for _, status in children} == {"done"}
        assert len(children) >= 6  # a download and a processing job per resource
        assert table_snapshot(fanned.engine) == expected_rows
        assert vector_snapshot(fanned) == expected_points
    assert expected_rows["graph_nodes"][0] > 0 and expected_points
    assert {k: spread[k] for k in ("documents", "nodes", "edges")} == {
        k: whole[k] for k in ("documents", "nodes", "edges")
    }

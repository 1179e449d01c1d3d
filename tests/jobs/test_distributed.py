"""Acceptance: two `jurisgraph worker` processes on Redis, MariaDB and a Qdrant-protocol server
ingest a real espelhos dataset fanned out per resource; one worker is SIGKILLed while it runs
a job; the rows and vector points at the end equal those of an uninterrupted single-process run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jurisgraph.datasets import service
from jurisgraph.datasets import views as dataset_views
from jurisgraph.db import session_scope
from jurisgraph.jobs import repository as jobs_repository
from jurisgraph.runtime import Container
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fixtures.homes import container_at
from tests.fixtures.mirrors import PRIMEIRA_TURMA, write_mirror
from tests.fixtures.paths import ROOT, SAMPLE
from tests.fixtures.processes import stop, worker_process
from tests.fixtures.qdrant import qdrant_process
from tests.jobs.snapshots import table_rows, table_snapshot, vector_snapshot

pytestmark = [pytest.mark.slow, pytest.mark.mariadb]

DIM = 32
TIMEOUT_S = 90


@pytest.fixture
def embeddings() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(dim=DIM) as server:
        yield server


@pytest.fixture
def espelhos_mirror(tmp_path: Path) -> Path:
    """A mirror of the real Primeira Turma espelhos dataset: three monthly files."""
    folder = SAMPLE / PRIMEIRA_TURMA
    months = {path.name: path.read_bytes() for path in sorted(folder.glob("2022*.json"))}
    assert len(months) == 3
    return write_mirror(tmp_path / "mirror", {PRIMEIRA_TURMA: months})


def variables(mirror: Path, embeddings: FakeOpenAIServer, qdrant_url: str) -> dict[str, str]:
    return {
        "JURISGRAPH_PORTAL_URL": str(mirror),
        "JURISGRAPH_EMBEDDING_PROVIDER": "openai",
        "JURISGRAPH_EMBEDDING_BASE_URL": embeddings.base_url,
        "JURISGRAPH_EMBEDDING_DIM": str(DIM),
        "OPENAI_API_KEY": embeddings.api_key,
        "QDRANT_URL": qdrant_url,
        "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
    }


def finished(container: Container, job_id: str) -> dict[str, Any]:
    """Wait for ``job_id`` (and the embedding job it queued); its result."""
    container.jobs().wait(job_id, timeout=TIMEOUT_S)
    with session_scope(container.sessions) as session:
        row = jobs_repository.job(session, job_id)
        assert row is not None and row.status == "done", (row.status, row.error) if row else None
        result = dict(row.result or {})
    if result.get("embedding_job"):
        container.jobs().wait(result["embedding_job"], timeout=TIMEOUT_S)
    return result


def holder_of(container: Container, workers: list[subprocess.Popen[bytes]], when: str) -> int | None:
    """The index in ``workers`` of the worker that now runs the job ``when`` names: ``first``,
    any job; ``finish``, the ingestion's finish stage (graph, communities, index)."""
    pids = {str(w.pid): i for i, w in enumerate(workers)}
    with session_scope(container.sessions) as session:
        for row in dataset_views.list_jobs(session, container.jobs(), active=True, limit=50):
            holder = row["worker"] or ""
            if row["status"] != "running" or holder.count(":") < 2:
                continue
            if when == "finish" and (row["kind"], row["stage"]) != ("ingest", "process"):
                continue
            found = pids.get(holder.split(":")[1])
            if found is not None:
                return found
    return None


@pytest.mark.parametrize("when", ["first", "finish"])
def test_a_killed_worker_loses_nothing(
    when: str,
    tmp_path: Path,
    espelhos_mirror: Path,
    embeddings: FakeOpenAIServer,
    mariadb_pair: list[str],
    redis_prefix: tuple[str, str],
) -> None:
    url, namespace = redis_prefix
    with (
        qdrant_process(tmp_path / "qdrant-one") as (_, qdrant_one),
        qdrant_process(tmp_path / "qdrant-two") as (_, qdrant_two),
    ):
        # the reference: one process, one job, no interruption
        with container_at(
            tmp_path / "one", mariadb_pair[0], **variables(espelhos_mirror, embeddings, qdrant_one)
        ) as one:
            finished(one, service.submit_ingest(one, fan_out=False))
            expected_rows, expected_points = table_snapshot(one.engine), vector_snapshot(one)
            reference = {name: table_rows(one.engine, name) for name in ("communities", "graph_nodes")}
        assert expected_rows["documents"][0] > 0 and expected_rows["graph_edges"][0] > 0
        assert sum(count for count, _ in expected_points.values()) > 0

        # distributed: the API side enqueues, two worker processes share the jobs
        shared = {
            **variables(espelhos_mirror, embeddings, qdrant_two),
            "REDIS_URL": url,
            "JURISGRAPH_REDIS_KEY_PREFIX": namespace,
            "JURISGRAPH_PIPELINE_JOB_HEARTBEAT_S": "0.3",
            "JURISGRAPH_PIPELINE_JOB_STALE_S": "2",
            "JURISGRAPH_PIPELINE_JOB_MAX_RETRIES": "5",
        }
        home = tmp_path / "two"
        with container_at(home, mariadb_pair[1], **shared) as api:
            env = {
                **os.environ,
                **shared,
                "JURISGRAPH_HOME": str(home),
                "JURISGRAPH_PORTAL_REQUEST_INTERVAL_S": "0",
                "DATABASE_URL": mariadb_pair[1],
                "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            }
            workers = [worker_process(env, tmp_path / f"worker-{n}.log") for n in range(2)]
            try:
                parent = service.submit_ingest(api)
                victim = None
                deadline = time.monotonic() + TIMEOUT_S
                while victim is None and time.monotonic() < deadline:
                    victim = holder_of(api, workers, when)
                    if victim is None:
                        time.sleep(0.01)
                assert victim is not None, "no worker ever held a running job"
                workers[victim].send_signal(signal.SIGKILL)
                workers[victim].wait()
                result = finished(api, parent)
                with session_scope(api.sessions) as session:
                    children = jobs_repository.children(session, parent)
                    parent_attempts = jobs_repository.job(session, parent).attempts  # type: ignore[union-attr]
                    statuses = {c.status for c in children}
                assert statuses == {"done"}
                # three phases claimed once each, plus the one the SIGKILL cut short, taken again
                assert parent_attempts >= 4
                assert not result["problems"]
                for name, lines in reference.items():  # the first differing rows, if any, for the report
                    got = table_rows(api.engine, name)
                    (tmp_path / f"{name}.expected").write_text("\n".join(lines))
                    (tmp_path / f"{name}.got").write_text("\n".join(got))
                    assert set(got) - set(lines) == set() and set(lines) - set(got) == set(), name
                assert table_snapshot(api.engine) == expected_rows
                assert vector_snapshot(api) == expected_points
            finally:
                for worker in workers:
                    stop(worker)

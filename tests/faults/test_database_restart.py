"""MariaDB goes away during an ingestion job and comes back (reached through a TCP proxy the test
stops and starts): the job retries its transient failures and ends with exactly the rows and
vector points of an ingestion that never lost its database."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jurisgraph.datasets import service
from jurisgraph.models import utcnow
from jurisgraph.runtime import Container
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.tcp_proxy import TcpProxy
from tests.faults.commands import DIM
from tests.fixtures.homes import container_at
from tests.jobs.snapshots import table_snapshot, vector_snapshot

pytestmark = [pytest.mark.slow, pytest.mark.mariadb]

JOB_TIMEOUT_S = 240.0
OUTAGE_S = 3.0


def variables(embeddings: FakeOpenAIServer, mirror: Path) -> dict[str, str]:
    return {
        "JURISGRAPH_PORTAL_URL": str(mirror),
        "JURISGRAPH_EMBEDDING_PROVIDER": "openai",
        "JURISGRAPH_EMBEDDING_BASE_URL": embeddings.base_url,
        "JURISGRAPH_EMBEDDING_DIM": str(DIM),
        "OPENAI_API_KEY": embeddings.api_key,
        "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
        "JURISGRAPH_PIPELINE_JOB_MAX_RETRIES": "10",
    }


def settled(url: str, job_id: str) -> dict[str, Any]:
    """The row of ``job_id`` once it ended, read straight from the database (not through the proxy)."""
    engine = create_engine(url)
    deadline = time.monotonic() + JOB_TIMEOUT_S
    try:
        while True:
            with engine.connect() as conn:
                row = conn.execute(
                    text("SELECT status, error, result, finished_at FROM jobs WHERE id = :id"),
                    {"id": job_id},
                ).one()
            if row.status in ("done", "failed", "cancelled") or time.monotonic() > deadline:
                result = json.loads(row.result) if isinstance(row.result, str) else row.result
                return {
                    "status": row.status,
                    "error": row.error,
                    "result": result,
                    "finished_at": row.finished_at,
                }
            time.sleep(0.1)
    finally:
        engine.dispose()


def ingested(container: Container, url: str) -> dict[str, Any]:
    """Run an ingestion job and the embedding job it queues; the ingestion's row."""
    job_id = service.submit_ingest(container, fan_out=False)
    found = settled(url, job_id)
    embed = (found["result"] or {}).get("embedding_job")
    if embed:
        assert settled(url, embed)["status"] == "done"
    return found


def documents(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT COUNT(*) FROM documents")).scalar() or 0)
    finally:
        engine.dispose()


def test_an_ingestion_job_outlives_a_database_restart(
    tmp_path: Path, small_mirror: Path, embeddings: FakeOpenAIServer, mariadb_pair: list[str]
) -> None:
    with container_at(
        tmp_path / "reference", mariadb_pair[0], **variables(embeddings, small_mirror)
    ) as reference:
        assert ingested(reference, mariadb_pair[0])["status"] == "done"
        expected = table_snapshot(reference.engine), vector_snapshot(reference)

    real = make_url(mariadb_pair[1])
    with TcpProxy((real.host or "127.0.0.1", real.port or 3306)) as proxy:
        proxied = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        with container_at(tmp_path / "home", proxied, **variables(embeddings, small_mirror)) as container:

            def outage() -> None:  # as soon as the job has written documents, the database goes away
                deadline = time.monotonic() + JOB_TIMEOUT_S
                while documents(mariadb_pair[1]) == 0 and time.monotonic() < deadline:
                    time.sleep(0.01)
                proxy.stop()
                cut_at.append(utcnow())
                time.sleep(OUTAGE_S)
                proxy.start()

            cut_at: list[datetime] = []
            cut = threading.Thread(target=outage, daemon=True)
            cut.start()
            outcome = ingested(container, mariadb_pair[1])
            cut.join(timeout=JOB_TIMEOUT_S)
            assert (outcome["status"], outcome["error"]) == ("done", None)
            assert cut_at and cut_at[0] < outcome["finished_at"], "the database went away after the job"
            assert (table_snapshot(container.engine), vector_snapshot(container)) == expected

"""`jurisgraph ingest` and `jurisgraph index` SIGKILLed mid-run: what they left is whole (every item
complete or absent), and the same command run again ends with the state of an uninterrupted run.
Each test runs on SQLite and on MariaDB, its reference run on a database of the same kind."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from jurisgraph.datasets import service
from jurisgraph.pipeline.stages.selection import ResourceFilter
from tests.fakes.openai_server import EMBEDDINGS, FakeOpenAIServer
from tests.faults.commands import RUN_TIMEOUT_S, cli, finish, snapshot, variables
from tests.fixtures.homes import container_at, make_settings
from tests.fixtures.processes import process_env
from tests.fixtures.store import integrity_problems

pytestmark = pytest.mark.slow

SLOW_BATCH_S = 0.3


def kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    """SIGKILL ``process`` as soon as ``ready()``; fail when it ended first."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the command ended before it could be killed"


def count(database_url: str, sql: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar() or 0)
    except Exception:  # the schema is not there yet
        return 0
    finally:
        engine.dispose()


def reference(
    tmp_path: Path, embeddings: FakeOpenAIServer, mirror: Path, database_url: str, *steps: tuple[str, ...]
) -> Path:
    home = tmp_path / "reference"
    env = process_env(variables(home, embeddings, mirror, database_url))
    for step in steps:
        finish(cli(env, *step))
    return home


def test_a_killed_ingest_runs_again_to_the_uninterrupted_state(
    tmp_path: Path, embeddings: FakeOpenAIServer, small_mirror: Path, database_pair: tuple[str, str]
) -> None:
    reference_db, db = database_pair
    ingested = reference(tmp_path, embeddings, small_mirror, reference_db, ("ingest",))
    expected = snapshot(ingested, reference_db)
    home = tmp_path / "home"
    env = process_env(variables(home, embeddings, small_mirror, db))
    url = make_settings(home, db).database_url
    embeddings.slow(1000, SLOW_BATCH_S, route=EMBEDDINGS)  # the run is long enough to be cut
    kill_when(cli(env, "ingest"), lambda: count(url, "SELECT COUNT(*) FROM chunks") > 0)
    rows, _, problems = snapshot(home, db)
    assert problems == []
    assert rows != expected[0], "the kill came after the whole ingestion"
    embeddings.reset()
    finish(cli(env, "ingest"))
    assert snapshot(home, db) == expected


def ingested_without_dense(home: Path, server: FakeOpenAIServer, mirror: Path, database_url: str) -> None:
    """The state an API ingestion leaves until its background embedding runs: dense vectors pending."""
    with container_at(home, **variables(home, server, mirror, database_url)) as container:
        assert service.ingest(container, None, ResourceFilter(), dense=False).problems == []


def test_a_killed_index_runs_again_to_the_uninterrupted_state(
    tmp_path: Path, embeddings: FakeOpenAIServer, small_mirror: Path, database_pair: tuple[str, str]
) -> None:
    reference_db, db = database_pair
    ingested_without_dense(tmp_path / "reference", embeddings, small_mirror, reference_db)
    expected = snapshot(
        reference(tmp_path, embeddings, small_mirror, reference_db, ("index", "--dense")), reference_db
    )
    home = tmp_path / "home"
    env = process_env(variables(home, embeddings, small_mirror, db))
    url = make_settings(home, db).database_url
    ingested_without_dense(home, embeddings, small_mirror, db)
    total = count(url, "SELECT COUNT(*) FROM chunks")
    embeddings.slow(1000, SLOW_BATCH_S, route=EMBEDDINGS)
    pending = "SELECT COUNT(*) FROM chunks WHERE embedded_at IS NULL"
    kill_when(cli(env, "index", "--dense"), lambda: 0 < count(url, pending) < total)
    with container_at(home, db) as container:
        assert integrity_problems(container) == []
        embedded = count(url, "SELECT COUNT(*) FROM chunks WHERE embedded_at IS NOT NULL")
        with_dense = [p for p in container.vector_index().scroll("chunks") if p.dense is not None]
        assert 0 < embedded < total
        assert len(with_dense) >= embedded  # a chunk marked embedded has its dense vector stored
    embeddings.reset()
    finish(cli(env, "index", "--dense"))
    assert snapshot(home, db) == expected

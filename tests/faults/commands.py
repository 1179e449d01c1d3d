"""Running jurisgraph commands as their own processes for the fault tests, and what they leave."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.fakes.openai_server import FakeOpenAIServer
from tests.fixtures.homes import container_at
from tests.fixtures.paths import ROOT
from tests.fixtures.store import integrity_problems
from tests.jobs.snapshots import table_snapshot, vector_snapshot

DIM = 32
RUN_TIMEOUT_S = 240.0


def variables(home: Path, server: FakeOpenAIServer, mirror: Path, database_url: str = "") -> dict[str, str]:
    """A home on ``home`` ingesting ``mirror``, embedding through ``server`` (small batches), on the
    database ``database_url`` (SQLite in ``home`` when empty)."""
    database = {"DATABASE_URL": database_url} if database_url else {}
    return {
        **database,
        "JURISGRAPH_HOME": str(home),
        "JURISGRAPH_PORTAL_URL": str(mirror),
        "JURISGRAPH_EMBEDDING_PROVIDER": "openai",
        "JURISGRAPH_EMBEDDING_BASE_URL": server.base_url,
        "JURISGRAPH_EMBEDDING_DIM": str(DIM),
        "JURISGRAPH_EMBEDDING_BATCH_SIZE": "4",
        "OPENAI_API_KEY": server.api_key,
        "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
        "JURISGRAPH_APP_LOG_LEVEL": "WARNING",
    }


def cli(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    """``jurisgraph ARGS`` started in its own process (output captured)."""
    command = [sys.executable, "-m", "jurisgraph.cli.main", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finish(process: subprocess.Popen[bytes]) -> None:
    """Wait for ``process``; fail with the end of its output unless it exited 0."""
    output, _ = process.communicate(timeout=RUN_TIMEOUT_S)
    assert process.returncode == 0, output.decode(errors="replace")[-3000:]


def snapshot(
    home: Path, database_url: str = ""
) -> tuple[dict[str, tuple[int, str]], dict[str, tuple[int, str]], list[str]]:
    """The rows, the vector points and the integrity problems of ``home`` on ``database_url`` (its
    SQLite file when empty)."""
    with container_at(home, database_url) as container:
        return table_snapshot(container.engine), vector_snapshot(container), integrity_problems(container)

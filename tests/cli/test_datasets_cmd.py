"""`jurisgraph ingest` and `jurisgraph resources remove` as a user runs them, in a subprocess.

Dense vectors go to the local OpenAI-protocol fake (the bundled model would take most of the
time); everything else is the real embedded default.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.openai_server import EMBEDDINGS, FakeOpenAIServer
from tests.fixtures.mirrors import PRIMEIRA_TURMA, records_in, resource_id

DIM = 64


def run(home: Path, *args: str, embeddings: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("JURISGRAPH_") and name not in ("DATABASE_URL", "QDRANT_URL", "REDIS_URL")
    }
    env.update(JURISGRAPH_HOME=str(home), LOG_LEVEL="WARNING", COLUMNS="200")
    if embeddings:
        env.update(
            JURISGRAPH_EMBEDDING_PROVIDER="openai",
            JURISGRAPH_EMBEDDING_BASE_URL=embeddings,
            JURISGRAPH_EMBEDDING_DIM=str(DIM),
            OPENAI_API_KEY="test-key",
        )
    return subprocess.run(
        [sys.executable, "-m", "jurisgraph.cli.main", *args],
        cwd=home.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def embeddings() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(dim=DIM) as server:
        yield server


@pytest.mark.slow  # four commands, each in its own Python process
def test_cli_ingest_of_a_mirror_then_remove(
    small_mirror: Path, tmp_path: Path, embeddings: FakeOpenAIServer
) -> None:
    home = tmp_path / "home"
    upgraded = run(home, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    records = records_in(small_mirror)

    ingested = run(home, "ingest", "--portal", str(small_mirror), embeddings=embeddings.base_url)
    assert ingested.returncode == 0, ingested.stderr
    assert embeddings.requests(EMBEDDINGS)
    assert "processed 4 resources (0 unchanged)" in ingested.stdout
    assert f"{records} records, 0 skipped" in ingested.stdout
    assert f"corpus: {records} documents" in ingested.stdout

    removed = run(
        home,
        "resources",
        "remove",
        resource_id(PRIMEIRA_TURMA, "20220630.json"),
        embeddings=embeddings.base_url,
    )
    assert removed.returncode == 0, removed.stderr
    assert "removed 2 documents" in removed.stdout


@pytest.mark.slow  # an ingestion in its own Python process
def test_cli_ingest_into_a_new_home_needs_no_traceback(
    small_mirror: Path, tmp_path: Path, embeddings: FakeOpenAIServer
) -> None:
    """A fresh home without `jurisgraph db upgrade`: either it is migrated on the way, or the
    command says what to run; never a raw SQL traceback."""
    ingested = run(
        tmp_path / "fresh", "ingest", "--portal", str(small_mirror), embeddings=embeddings.base_url
    )
    assert "Traceback" not in ingested.stderr, ingested.stderr[-2000:]
    assert ingested.returncode == 0 or "db upgrade" in ingested.stderr

"""`jurisgraph vectors ...` end to end: in process, and an import killed half-way in a subprocess."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from typer.testing import CliRunner

from jurisgraph.cli.main import app
from jurisgraph.engine.vectors import CollectionSpec, VectorPoint
from jurisgraph.vectors_ops.importing import state_path
from tests.fixtures.homes import container_at
from tests.fixtures.vectors import DIM, SPEC, Tema, read_temas, seeded_vectors, tema_points

runner = CliRunner()
COPY = CollectionSpec("chunks", "copy", DIM)


@pytest.fixture(autouse=True)
def _quiet_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Commands would point the log handler at the runner's stream (closed after each call):
    keep logging as it is, showing warnings and errors only, so outputs hold just the command's text."""
    monkeypatch.setattr("jurisgraph.cli.common.configure_logging", lambda *args, **kwargs: None)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    yield
    structlog.reset_defaults()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["vectors", *args])
    return result.exit_code, result.output


def fill(home: Path, temas: list[Tema]) -> None:
    with container_at(home) as container:
        index = container.vector_index()
        index.ensure_collection(SPEC)
        index.upsert(SPEC, tema_points(temas))
        index.set_alias("chunks", SPEC)


def test_every_vectors_command_has_help() -> None:
    for command in ("export", "import", "migrate-chroma", "verify", "reindex", "stats", "drop", "alias"):
        code, output = invoke(command, "--help")
        assert code == 0 and "Usage" in output, (command, output)
    code, output = invoke("reindex", "--help")
    assert "--force-config-mismatch" in output and "--dry-run" in output
    assert "JURISGRAPH_EMBEDDING" in output


def test_export_import_verify_stats_drop(home: Path, temas: list[Tema], tmp_path: Path) -> None:
    fill(home, temas)
    out = tmp_path / "chunks.jsonl"
    code, output = invoke("export", "--format", "jsonl", "--out", str(out))
    assert code == 0, output
    assert f"{len(temas)} points of {SPEC.name}" in output
    code, output = invoke("import", str(out), "--collection", COPY.name, "--batch", "64")
    assert code == 0, output
    code, output = invoke(
        "verify", "--collection", COPY.name, "--against", str(out), "--sample", "30", "--k", "5"
    )
    assert code == 0, output
    assert "recall@5 1.0000" in output

    code, output = invoke("stats", "--json")
    rows = {r["name"]: r for r in json.loads(output)}
    assert rows[SPEC.name]["live"] and rows[SPEC.name]["aliases"] == ["chunks"]
    assert rows[COPY.name]["points"] == len(temas) and not rows[COPY.name]["live"]
    assert rows[COPY.name]["model"] == "copy" and rows[COPY.name]["dim"] == DIM

    with container_at(home) as container:  # overwrite a quarter of the copy's vectors with noise
        noise = seeded_vectors(len(temas[::4]), DIM, seed=123)
        container.vector_index().upsert(
            COPY, [VectorPoint(id=t.point_id, dense=noise[i]) for i, t in enumerate(temas[::4])]
        )
    code, output = invoke(
        "verify", "--collection", COPY.name, "--against", SPEC.name, "--sample", "40", "--k", "5"
    )
    assert code == 1, output
    assert "recall below 0.95" in output

    code, output = invoke("alias", COPY.name)  # a rollback moves the alias to another collection
    assert code == 0 and f"alias chunks → {COPY.name} (was {SPEC.name})" in output
    code, output = invoke("stats", "--json")
    assert {r["name"]: r["aliases"] for r in json.loads(output)} == {SPEC.name: [], COPY.name: ["chunks"]}
    code, output = invoke("alias", SPEC.name)
    assert code == 0 and f"(was {COPY.name})" in output
    code, output = invoke("alias", "chunks__nothing__8")
    assert code == 1 and "no vector collection" in output

    code, output = invoke("drop", SPEC.name)
    assert code == 1 and "served by alias chunks" in output
    code, output = invoke("drop", COPY.name)
    assert code == 0, output
    code, output = invoke("stats", "--json")
    assert [r["name"] for r in json.loads(output)] == [SPEC.name]
    code, output = invoke("stats")
    assert code == 0 and f"{SPEC.name}  {len(temas)} points, {DIM}-d, alias chunks (live)" in output


def test_reindex_dry_run_prints_the_plan(home: Path, temas: list[Tema]) -> None:
    fill(home, temas[:50])
    code, output = invoke("reindex", "--to", "openai:some-model:768", "--dry-run")
    assert code == 0, output
    assert "chunks__openai-some-model-768__768" in output and "does NOT match" in output
    code, output = invoke("reindex", "--to", "openai:some-model:768")
    assert code == 1 and "--force-config-mismatch" in output


@pytest.mark.slow  # 1,000 points, an import killed in its own Python process, then resumed
def test_an_import_killed_half_way_resumes_to_a_complete_collection(home: Path, tmp_path: Path) -> None:
    # SQLite only: an import writes no database row (its progress is the checkpoint file beside the
    # export, its points go to the vector store), so a killed one leaves nothing in the database.
    temas = read_temas(1000)
    fill(home, temas)
    out = tmp_path / "chunks.jsonl"
    assert invoke("export", "--out", str(out))[0] == 0
    target = CollectionSpec("chunks", "killed", DIM)
    command = [sys.executable, "-m", "jurisgraph.cli.main", "vectors", "import", str(out)]
    command += ["--collection", target.name, "--batch", "2"]
    env = {**os.environ, "JURISGRAPH_APP_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                done = json.loads(state_path(out).read_text())["done"]
            except (OSError, ValueError):
                done = 0
            if done >= 100:
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the import ended before it could be interrupted"
    state = json.loads(state_path(out).read_text())
    assert 100 <= state["done"] < len(temas)

    code, output = invoke("import", str(out), "--collection", target.name, "--batch", "200")
    assert code == 0, output
    assert f"resumed after {state['done']}" in output
    with container_at(home) as container:
        index = container.vector_index()
        assert index.count(target.name) == len(temas)
        assert {p.id for p in index.scroll(target.name)} == {t.point_id for t in temas}
    assert not state_path(out).exists()


@pytest.mark.parametrize("args", [["import", "missing.jsonl"], ["migrate-chroma", "missing-folder"]])
def test_missing_inputs_fail_with_a_message(home: Path, args: list[str]) -> None:
    code, output = invoke(*args)
    assert code == 1 and "error" in output

"""`jurisgraph ask` and `jurisgraph queries export` on the sample."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jurisgraph.ask.audit import COLUMNS
from jurisgraph.cli import ask_cmd
from jurisgraph.cli.main import app
from jurisgraph.engine.query import NOTE
from jurisgraph.logging import configure_logging
from jurisgraph.runtime import Container
from tests.fixtures.sample import Sample

runner = CliRunner()


@pytest.fixture
def sample_env(sample: Sample, monkeypatch: pytest.MonkeyPatch) -> Sample:
    """Commands read the sample's database (settings from the environment, as users run them)."""
    monkeypatch.setenv("JURISGRAPH_HOME", str(sample.settings.home))
    monkeypatch.setenv("DATABASE_URL", sample.settings.database_url)
    return sample


def test_ask_prints_answer_note_and_sources(sample: Sample, monkeypatch: pytest.MonkeyPatch) -> None:
    @contextmanager
    def shared(settings: object = None) -> Iterator[Container]:
        configure_logging(sample.settings.app.log_level, json=sample.settings.log_json)  # as the CLI does
        yield sample.container  # the embedded vector store opens once per process

    monkeypatch.setattr(ask_cmd, "container_scope", shared)
    result = runner.invoke(app, ["ask", "Quem é o relator do REsp 1.850.512/SP?", "--mode", "local"])
    assert result.exit_code == 0, result.output
    assert NOTE in result.output and "REsp 1.850.512/SP" in result.output and "[1]" in result.output
    as_json = runner.invoke(app, ["ask", "Qual a tese do Tema 1.076?", "--json", "--orgao", "CORTE ESPECIAL"])
    body = json.loads(as_json.stdout)
    assert body["citations"][0]["document_key"] == "tema:1076"
    assert {c["orgao_julgador"] for c in body["citations"]} == {"CORTE ESPECIAL"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_queries_export_writes_every_row(sample_env: Sample, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"trilha.{fmt}"
    result = runner.invoke(app, ["queries", "export", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    total = sample_env.rows("select count(*) from rag_queries")[0][0]
    with out.open(encoding="utf-8", newline="") as handle:
        if fmt == "jsonl":
            rows = [json.loads(line) for line in handle]
            assert all(isinstance(r["reasoning_chain"], list) for r in rows)
        else:
            reader = csv.DictReader(handle)
            assert tuple(reader.fieldnames or ()) == COLUMNS
            rows = list(reader)
    assert len(rows) == total > 0
    assert f"{total} consulta(s)" in result.output


def test_queries_export_refuses_unknown_formats(sample_env: Sample, tmp_path: Path) -> None:
    result = runner.invoke(app, ["queries", "export", "--format", "xml", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "unknown format" in result.output
    assert not (tmp_path / "x").exists()

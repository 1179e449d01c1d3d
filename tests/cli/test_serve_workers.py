"""`jurisgraph serve --workers N`: refused with the reasons in embedded mode, allowed with the
production services (the server itself is not started here)."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from jurisgraph.cli import serve
from jurisgraph.cli.main import app
from jurisgraph.config import load_settings

runner = CliRunner()


def test_several_workers_are_refused_in_embedded_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QDRANT_URL", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    started: list[Any] = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda *a, **k: started.append(k))
    result = runner.invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "single-process" in text and "DATABASE_URL" in text and "REDIS_URL" in text
    assert started == []


def test_one_worker_runs_in_embedded_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QDRANT_URL", raising=False)
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda *a, **k: started.append(k))
    result = runner.invoke(app, ["serve", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert started and started[0]["workers"] == 1


def test_production_services_allow_several_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QDRANT_URL", "http://qdrant:6333")
    monkeypatch.setenv("DATABASE_URL", "mysql+pymysql://u:p@db:3306/jurisgraph")
    monkeypatch.setenv("REDIS_URL", "redis://redis:6379/0")
    settings = load_settings()
    assert serve.workers_problems(settings) == []
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda *a, **k: started.append(k))
    serve.run_server(settings, None, None, 3)
    assert started[0]["workers"] == 3

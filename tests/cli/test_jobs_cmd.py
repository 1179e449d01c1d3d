"""`jurisgraph jobs list|show|retry|cancel` and `jurisgraph worker` without Redis."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jurisgraph import migrations
from jurisgraph.cli.main import app
from jurisgraph.db import build_engine, build_sessionmaker, session_scope
from jurisgraph.errors import InvalidInput
from jurisgraph.jobs import handler
from jurisgraph.jobs import repository as jobs_repository
from jurisgraph.jobs.execution import Executor, JobTimings
from jurisgraph.jobs.queue import new_job
from tests.fixtures.homes import make_settings

outcomes: list[str] = []


@handler("test_cli_job")
def cli_job(context: Any, job_id: str, payload: dict[str, Any], progress: Any) -> dict[str, Any]:
    if outcomes and outcomes.pop(0) == "fail":
        raise InvalidInput("the first run fails")
    return {"ok": True}


def test_jobs_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path / "home")
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    monkeypatch.setenv("JURISGRAPH_HOME", str(settings.home))
    monkeypatch.setenv("COLUMNS", "250")
    engine = build_engine(settings.database_url)
    sessions = build_sessionmaker(engine)
    outcomes[:] = ["fail"]
    failed = new_job(sessions, "test_cli_job", {"n": 1})
    Executor(sessions, lambda: None, lambda job_id: None, JobTimings()).run(failed)
    queued = new_job(sessions, "test_cli_job", {"n": 2})
    cli = CliRunner()

    listed = cli.invoke(app, ["jobs", "list"])
    assert listed.exit_code == 0, listed.output
    assert failed in listed.output and queued in listed.output and "the first run fails" in listed.output
    shown = cli.invoke(app, ["jobs", "show", failed])
    assert shown.exit_code == 0 and json.loads(shown.output)["status"] == "failed"

    cancelled = cli.invoke(app, ["jobs", "cancel", queued])
    assert cancelled.exit_code == 0, cancelled.output
    assert cli.invoke(app, ["jobs", "cancel", queued]).exit_code == 1  # over: nothing to cancel
    retried = cli.invoke(app, ["jobs", "retry", failed])  # embedded: runs here, then returns
    assert retried.exit_code == 0, retried.output
    with session_scope(sessions) as session:
        rows = {job_id: jobs_repository.job(session, job_id) for job_id in (failed, queued)}
        assert rows[failed] is not None and (rows[failed].status, rows[failed].result) == (
            "done",
            {"ok": True},
        )
        assert rows[queued] is not None and rows[queued].status == "cancelled"
    assert cli.invoke(app, ["jobs", "show", "no-such-job"]).exit_code == 1
    engine.dispose()


def test_worker_needs_redis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURISGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    result = CliRunner().invoke(app, ["worker"])
    assert result.exit_code == 2 and "REDIS_URL" in result.output

"""The command line: config, db, the production secret checks, and reads that never write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from jurisgraph.cli.main import app
from jurisgraph.config import load_settings
from jurisgraph.engine.query import NOTHING
from jurisgraph.models import Base

runner = CliRunner()


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "jurisgraph.cli.main", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        check=False,
    )


def test_every_command_has_help() -> None:
    for args in (
        ["--help"],
        ["db", "--help"],
        ["config", "--help"],
        ["serve", "--help"],
        ["demo", "--help"],
        ["db", "upgrade", "--help"],
        ["config", "show", "--help"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        assert "Usage" in result.output


def test_db_upgrade_creates_every_table(empty_db_url: str) -> None:
    result = _run("db", "upgrade", env={"DATABASE_URL": empty_db_url})
    assert result.returncode == 0, result.stderr
    engine = create_engine(empty_db_url)
    try:
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    check = _run("db", "check", env={"DATABASE_URL": empty_db_url})
    assert check.returncode == 0, check.stderr + check.stdout


def test_db_check_fails_on_an_empty_database(tmp_path: Path) -> None:
    result = _run("db", "check", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"})
    assert result.returncode == 1
    assert "expected" in result.stderr


@pytest.mark.slow  # three commands, each in its own Python process
def test_production_without_jwt_secret_exits_naming_it() -> None:
    for value in (None, "changeme", "tooshort"):
        env = {"JURISGRAPH_ENV": "production"}
        if value is not None:
            env["JWT_SECRET"] = value
        result = _run("db", "current", env=env)
        assert result.returncode != 0
        assert "JWT_SECRET" in result.stderr


def test_config_show_masks_secrets() -> None:
    result = _run(
        "config", "show", "--json", env={"GEMINI_API_KEY": "AIza-top-secret", "JWT_SECRET": "s" * 40}
    )
    assert result.returncode == 0, result.stderr
    assert "AIza-top-secret" not in result.stdout and "s" * 40 not in result.stdout
    assert '"gemini_api_key": "***"' in result.stdout


@pytest.mark.slow  # ingests the whole sample twice in subprocesses
def test_demo_no_serve_migrates_and_creates_admin(tmp_path: Path) -> None:
    result = _run("demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    assert "Admin created" in result.stdout and "password" in result.stdout
    again = _run("demo", "--no-serve")
    assert again.returncode == 0 and "Admin created" not in again.stdout


def test_search_and_ask_on_a_fresh_database_find_nothing_and_create_no_workspace() -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    found = runner.invoke(app, ["search", "Tema 1.076", "--json"])
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout) == []
    asked = runner.invoke(app, ["ask", "Qual a tese do Tema 1.076?", "--json"])
    assert asked.exit_code == 0, asked.output
    body = json.loads(asked.stdout)
    assert (body["answer"], body["citations"], body["sources"]) == (NOTHING, [], [])
    engine = create_engine(load_settings().database_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select count(*) from workspaces")).scalar_one() == 0
            # the question itself is on the audit trail, with no workspace to read
            assert conn.execute(text("select workspace_ids from rag_queries")).scalars().all() == ["[]"]
    finally:
        engine.dispose()

"""What is running: `jurisgraph version` and the release block of `/health/ready`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jurisgraph import __version__, migrations, release
from jurisgraph.app import create_app
from jurisgraph.cli.main import app
from jurisgraph.config import load_settings

runner = CliRunner()


def _head_of_checkout() -> str | None:
    folder = Path(release.__file__).resolve().parent
    done = subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def test_git_revision_prefers_the_baked_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(release.GIT_REVISION_ENV, "abc1234")
    assert release.git_revision() == "abc1234"


def test_git_revision_reads_the_checkout_else_unknown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(release.GIT_REVISION_ENV, raising=False)
    head = _head_of_checkout()
    if head is None:
        pytest.skip("not running from a git checkout")
    assert release.git_revision() == head
    assert release._checkout_revision(tmp_path) == release.UNKNOWN


def test_version_command_prints_every_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(release.GIT_REVISION_ENV, "feedbeef")
    monkeypatch.setenv("JURISGRAPH_EMBEDDING_DIM", "512")
    result = runner.invoke(app, ["version", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["version"] == __version__
    assert info["git_revision"] == "feedbeef"
    assert info["schema_revision"] == "empty"
    assert info["schema_head"] == migrations.head_revision()
    assert info["embedding_signature"] == "local_multilingual_e5_small_512"

    migrations.upgrade(load_settings().database_url)
    lines = runner.invoke(app, ["version"]).output.splitlines()
    assert f"schema_revision: {migrations.head_revision()}" in lines
    assert "git_revision: feedbeef" in lines


def test_ready_returns_the_release(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(release.GIT_REVISION_ENV, "cafe42")
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings)) as client:
        body = client.get("/health/ready").json()
    assert body["release"] == {
        "version": __version__,
        "git_revision": "cafe42",
        "schema_revision": migrations.head_revision(),
        "schema_head": migrations.head_revision(),
        "embedding_signature": "local_multilingual_e5_small_384",
    }


def test_ready_with_the_database_down_still_names_the_release(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql+pymysql://nobody:wrong@127.0.0.1:1/none")
    with TestClient(create_app(load_settings())) as client:
        body = client.get("/health/ready").json()
    assert body["failing"] == ["database"]
    assert body["release"]["schema_revision"] == release.UNKNOWN
    assert body["release"]["version"] == __version__

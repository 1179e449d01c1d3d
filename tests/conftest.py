"""Shared fixtures: databases (SQLite and the real MariaDB started by .ci/run) and settings."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.shared_data import SHARED_DATA

MARIADB_ENV = "JURISGRAPH_TEST_MARIADB_URL"


def _mariadb_server_url() -> str | None:
    url = os.environ.get(MARIADB_ENV)
    if not url and os.environ.get("CI"):
        raise RuntimeError(f"{MARIADB_ENV} is not set: .ci/run must start MariaDB")
    return url


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with a private home folder and none of the developer's variables."""
    for name in list(os.environ):
        if name.startswith("JURISGRAPH_") and name != MARIADB_ENV and not name.startswith("JURISGRAPH_TEST_"):
            monkeypatch.delenv(name)
    for name in ("DATABASE_URL", "JWT_SECRET", "ADMIN_PASSWORD", "GEMINI_API_KEY", "QDRANT_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JURISGRAPH_HOME", str(tmp_path / "home"))


def _new_mariadb_database(server_url: str) -> tuple[str, str]:
    name = f"jgtest_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server_url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
    engine.dispose()
    return name, make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _drop_mariadb_database(server_url: str, name: str) -> None:
    engine = create_engine(server_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database, once on SQLite and once on the real MariaDB."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    server = _mariadb_server_url()
    if not server:
        pytest.skip(f"{MARIADB_ENV} not set (run `make test`)")
    name, url = _new_mariadb_database(server)
    try:
        yield url
    finally:
        _drop_mariadb_database(server, name)


@pytest.fixture
def shared_data() -> Path:
    """The real STJ files shipped beside the project (read-only)."""
    if not SHARED_DATA.exists():
        pytest.skip("shared STJ data folder not present")
    return SHARED_DATA

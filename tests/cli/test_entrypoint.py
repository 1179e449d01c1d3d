"""The container entrypoint (deploy/entrypoint.sh → `jurisgraph entrypoint`) without a container
runtime: concurrent starts migrate once, an absent database times out clearly, `serve` is exec'd
and stops on SIGTERM within the grace period."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine

from jurisgraph import migrations
from jurisgraph.errors import ServiceUnavailable
from jurisgraph.migrations.locking import migration_lock, upgrade_once, wait_for_database, wait_for_schema
from tests.fixtures.databases import _drop_mariadb_database, _mariadb_server_url, _new_mariadb_database
from tests.fixtures.processes import free_port
from tests.smoke.servers import clean_env

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "entrypoint.sh"


def _env(home: Path, database_url: str, **variables: str) -> dict[str, str]:
    env = clean_env(home, DATABASE_URL=database_url, **variables)
    env["JURISGRAPH_CLI"] = f"{sys.executable} -m jurisgraph.cli.main"
    return env


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["sh", str(SCRIPT), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'jurisgraph.db'}"
        return
    server = _mariadb_server_url()
    if not server:
        pytest.skip("MariaDB not configured")
    name, url = _new_mariadb_database(server)
    try:
        yield url
    finally:
        _drop_mariadb_database(server, name)


@pytest.mark.slow
def test_concurrent_entrypoints_migrate_once(database_url: str, tmp_path: Path) -> None:
    env = _env(tmp_path / "home", database_url, ADMIN_PASSWORD="Adm1n-Entry-Pass-77")
    processes = [_start(env, "migrate") for _ in range(3)]
    results = [process.communicate(timeout=300) for process in processes]
    for process, (_, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err[-3000:]
    outputs = [out for out, _ in results]
    migrated = [out for out in outputs if f"migrated (empty) -> {migrations.head_revision()}" in out]
    assert len(migrated) == 1, outputs
    assert sum(f"already at {migrations.head_revision()}" in out for out in outputs) == 2
    assert sum("admin created" in out for out in outputs) == 1
    engine = create_engine(database_url)
    try:
        assert migrations.current_revision(engine) == migrations.head_revision()
        assert migrations.pending_differences(engine) == []
    finally:
        engine.dispose()


def test_the_lock_is_exclusive(database_url: str) -> None:
    with migration_lock(database_url, 5) as waited:
        assert waited < 5
        with pytest.raises(ServiceUnavailable, match="migration lock"):
            upgrade_once(database_url, lock_timeout_s=1)
    outcome = upgrade_once(database_url, lock_timeout_s=5)
    assert outcome.migrated and outcome.before is None and outcome.after == migrations.head_revision()
    assert not upgrade_once(database_url, lock_timeout_s=5).migrated


def test_an_absent_database_times_out_clearly(tmp_path: Path) -> None:
    env = _env(tmp_path / "home", "mysql+pymysql://u:p@127.0.0.1:1/none", JURISGRAPH_ENTRYPOINT_WAIT_S="2")
    started = time.monotonic()
    process = _start(env, "serve")
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert "database not reachable after 2 s" in err and "OperationalError" in err
    assert time.monotonic() - started < 60


def test_wait_for_database_polls_until_the_timeout() -> None:
    slept: list[float] = []
    with pytest.raises(ServiceUnavailable, match="not reachable"):
        wait_for_database("mysql+pymysql://u:p@127.0.0.1:1/none", 0.0, sleep=slept.append)
    assert slept == []
    assert wait_for_database("sqlite://", 5) < 5


@pytest.mark.slow
def test_serve_is_execd_and_stops_on_sigterm_within_the_grace_period(tmp_path: Path) -> None:
    port = free_port()
    env = _env(
        tmp_path / "home",
        f"sqlite:///{tmp_path / 'home' / 'jurisgraph.db'}",
        JURISGRAPH_APP_SHUTDOWN_GRACE_S="5",
    )
    process = _start(env, "serve", "--port", str(port))
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.communicate()[1][-3000:]
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.3)
        # exec'd: the server is the shell's own process, so the signal reaches uvicorn itself
        os.kill(process.pid, signal.SIGTERM)
        started = time.monotonic()
        out, err = process.communicate(timeout=60)
        assert time.monotonic() - started < 5 + 10
        # uvicorn finishes its shutdown, then re-raises the signal it caught (exit by SIGTERM)
        assert process.returncode in (0, -signal.SIGTERM), err[-3000:]
        assert "Application shutdown complete." in err and "Finished server process" in err
        assert "migrated (empty)" in out
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_without_migrating_a_pod_waits_for_the_schema(database_url: str, tmp_path: Path) -> None:
    env = _env(
        tmp_path / "home",
        database_url,
        JURISGRAPH_ENTRYPOINT_MIGRATE="false",
        JURISGRAPH_ENTRYPOINT_WAIT_S="1",
    )
    process = _start(env, "worker")
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert f"database at (empty) after 1 s, this version needs {migrations.head_revision()}" in err
    with pytest.raises(ServiceUnavailable, match="run the migration job"):
        wait_for_schema(database_url, 0)
    migrations.upgrade(database_url)
    assert wait_for_schema(database_url, 0) == migrations.head_revision()


def test_a_newer_schema_does_not_stop_an_older_pod(database_url: str) -> None:
    """After a release migrated past this version's head (expand-only), older pods still start."""
    wait_for_database(database_url, 5)  # creates the folder of a SQLite file
    migrations.upgrade(database_url)
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'zz_future'")
    finally:
        engine.dispose()
    assert wait_for_schema(database_url, 0) == "zz_future"
    outcome = upgrade_once(database_url, lock_timeout_s=5)  # the older image's migration Job
    assert not outcome.migrated and outcome.after == "zz_future"

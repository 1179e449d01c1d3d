"""`jurisgraph smoke` against real `jurisgraph serve` processes: it passes on an embedded home with
the sample, and fails naming the step when a key is wrong, the vector store is gone or the database
is gone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from jurisgraph import migrations
from jurisgraph.auth import service as auth_service
from jurisgraph.cli.main import app
from jurisgraph.config import load_settings
from jurisgraph.db import session_scope
from jurisgraph.runtime import Container
from tests.fakes.tcp_proxy import TcpProxy
from tests.fixtures.databases import _drop_mariadb_database, _mariadb_server_url, _new_mariadb_database
from tests.fixtures.processes import free_port, run_cli, serve_process
from tests.fixtures.qdrant import qdrant_process
from tests.smoke.servers import ADMIN_EMAIL, ADMIN_PASSWORD, START_TIMEOUT_S, clean_env

# real server processes on the ingested sample (about a minute): `make test`, not `make check`
pytestmark = pytest.mark.slow

runner = CliRunner()
QUERY = "ICMS sobre energia elétrica"


@dataclass
class Served:
    url: str
    key: str


def _smoke(url: str, key: str, *args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(
        app, ["smoke", "--base-url", url, "--api-key", key, "--query", QUERY, "--json", *args]
    )
    report = json.loads(result.stdout)
    assert report["ok"] is (result.exit_code == 0), result.output
    return result.exit_code, report


def _steps(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["name"]: step for step in report["steps"]}


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`jurisgraph serve` on an embedded home (SQLite, embedded Qdrant, local embedder) with the sample."""
    base = tmp_path_factory.mktemp("smoke-sample")
    env = clean_env(base / "home")
    log = base / "cli.log"
    run_cli(env, log, "demo", "--no-serve")
    key = run_cli(env, log, "keys", "create", "--email", ADMIN_EMAIL).split()[-1]
    with serve_process(env, base / "serve.log", timeout_s=START_TIMEOUT_S) as url:
        yield Served(url, key)


def test_smoke_passes_against_a_served_sample(sample_server: Served) -> None:
    code, report = _smoke(
        sample_server.url, sample_server.key, "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD
    )
    assert code == 0, report
    steps = _steps(report)
    assert list(steps) == ["live", "ready", "auth", "login", "search", "answer", "metrics", "document"]
    assert all(step["status"] == "ok" for name, step in steps.items() if name != "document"), steps
    assert steps["document"]["status"] in {"ok", "skipped"}
    assert all(isinstance(step["ms"], int) and step["ms"] >= 0 for step in steps.values())
    assert "citations" in steps["answer"]["detail"]
    assert "schema " + str(migrations.head_revision()) in steps["ready"]["detail"]


def test_lines_and_timings_without_json(sample_server: Served) -> None:
    result = runner.invoke(app, ["smoke", "--base-url", sample_server.url, "--api-key", sample_server.key])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("✓ live") and " ms " in lines[0]
    assert any(line.startswith("– login") for line in lines)
    assert lines[-1].startswith("smoke passed")


def test_a_wrong_key_fails_the_auth_step(sample_server: Served) -> None:
    result = runner.invoke(app, ["smoke", "--base-url", sample_server.url, "--api-key", "jg_wrong", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["failed"][0] == "auth"
    assert "smoke failed at step auth" in result.stderr


def test_headers_are_sent_with_every_request() -> None:
    import httpx

    from jurisgraph.smoke import runner as smoke_runner

    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("x-jurisgraph-canary"))
        return httpx.Response(503, json={"failing": ["database"], "checks": {"database": "down"}})

    options = smoke_runner.Options("http://canary.test", "jg_x", headers=(("X-Jurisgraph-Canary", "always"),))
    report = smoke_runner.run(options, transport=httpx.MockTransport(handler))
    assert report.failed[0] == "live" and seen and set(seen) == {"always"}
    assert "database: down" in next(s.detail for s in report.steps if s.name == "ready")
    result = runner.invoke(app, ["smoke", "--base-url", "http://x", "--api-key", "k", "--header", "nocolon"])
    assert result.exit_code == 2


def test_a_wrong_password_fails_the_login_step(sample_server: Served) -> None:
    code, report = _smoke(
        sample_server.url, sample_server.key, "--email", ADMIN_EMAIL, "--password", "nope-nope"
    )
    assert code == 1 and report["failed"] == ["login"]


def test_nothing_listening_fails_at_live() -> None:
    code, report = _smoke(f"http://127.0.0.1:{free_port()}", "jg_x")
    assert code == 1 and report["failed"][0] == "live"


def _prepare(database_url: str, home: Path) -> str:
    """Migrate, add the admin and return a new API key of it."""
    migrations.upgrade(database_url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JURISGRAPH_HOME", str(home))
        patch.setenv("DATABASE_URL", database_url)
        container = Container.build(load_settings())
    try:
        with session_scope(container.sessions) as session:
            auth_service.ensure_admin(session, email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
            user = auth_service.user_by_email(session, ADMIN_EMAIL)
            _, key = auth_service.create_key(session, user.id, name="smoke")
    finally:
        container.close()
    return key


@pytest.mark.mariadb
def test_smoke_names_the_vector_store_and_the_database_when_they_go(tmp_path: Path) -> None:
    """A server on MariaDB (through a relay that can be cut) and a Qdrant server process: ready
    first; the vector store stopped → `ready` fails naming it; back → ready; the database cut off →
    `ready` fails naming the database."""
    server = _mariadb_server_url()
    if not server:
        pytest.skip("MariaDB not configured")
    name, database_url = _new_mariadb_database(server)
    parsed = make_url(database_url)
    relay = TcpProxy((parsed.host or "127.0.0.1", parsed.port or 3306)).start()
    try:
        key = _prepare(database_url, tmp_path / "home")
        relayed = parsed.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
        qdrant_port = free_port()
        with qdrant_process(tmp_path / "qdrant", qdrant_port) as (qdrant, qdrant_url):
            env = clean_env(tmp_path / "home", DATABASE_URL=relayed, QDRANT_URL=qdrant_url)
            with serve_process(env, tmp_path / "serve.log", timeout_s=START_TIMEOUT_S) as url:
                code, report = _smoke(url, key)
                steps = _steps(report)
                assert steps["ready"]["status"] == "ok" and steps["auth"]["status"] == "ok", report

                qdrant.terminate()
                qdrant.wait(timeout=30)
                code, report = _smoke(url, key)
                assert code == 1 and report["failed"][0] == "ready", report
                assert "vector_store" in _steps(report)["ready"]["detail"]

                with qdrant_process(tmp_path / "qdrant", qdrant_port):
                    code, report = _smoke(url, key)
                    assert _steps(report)["ready"]["status"] == "ok", report

                    relay.stop()
                    code, report = _smoke(url, key)
                    assert code == 1 and report["failed"][0] == "ready", report
                    assert "database" in _steps(report)["ready"]["detail"]
    finally:
        relay.stop()
        _drop_mariadb_database(server, name)

"""`jurisgraph preflight`: ✓ on a healthy embedded home, ✗ naming each broken item in turn."""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from jurisgraph import migrations
from jurisgraph.auth import service as auth_service
from jurisgraph.backups import service as backups_service
from jurisgraph.cli.main import app
from jurisgraph.config import load_settings
from jurisgraph.db import session_scope
from jurisgraph.engine.vectors import CollectionSpec
from jurisgraph.runtime import Container
from tests.fakes.protocol_server import ChatTurn
from tests.fixtures.environment import MARIADB_ENV
from tests.fixtures.llm import Served

runner = CliRunner()
SPEC = CollectionSpec(kind="chunks", model="local_multilingual_e5_small_384", dim=384)


@dataclass
class Home:
    root: Path
    backups: Path


def _prepare(*, vectors: CollectionSpec = SPEC) -> None:
    """Migrate the home of the environment, add an admin and a chunks collection behind its alias."""
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    try:
        with session_scope(container.sessions) as session:
            auth_service.ensure_admin(session, email="admin@example.org", password="a-long-admin-password")
        index = container.vector_index()
        index.ensure_collection(vectors)
        index.set_alias(vectors.alias, vectors)
    finally:
        container.close()


def _backup(folder: Path, *, age: timedelta = timedelta(hours=1), verified: bool = True) -> Path:
    container = Container.build(load_settings())
    try:
        entry = backups_service.create(container, folder, now=datetime.now(UTC) - age)
    finally:
        container.close()
    if verified:
        backups_service.record_verified(entry.path)
    return entry.path


@pytest.fixture
def healthy(tmp_path: Path, home: Path) -> Home:
    _prepare()
    backups = tmp_path / "backups"
    _backup(backups)
    return Home(home, backups)


def _preflight(*args: str, exit_code: int | None = None) -> dict[str, dict[str, Any]]:
    result = runner.invoke(app, ["preflight", "--json", *args])
    report = json.loads(result.stdout)
    assert report["ok"] is (result.exit_code == 0), result.output
    if exit_code is not None:
        assert result.exit_code == exit_code, result.output
    return {check["name"]: check for check in report["checks"]}


def _failed(checks: dict[str, dict[str, Any]]) -> set[str]:
    return {name for name, check in checks.items() if check["status"] == "fail"}


def test_a_healthy_embedded_home_passes(healthy: Home) -> None:
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=0)
    assert list(checks) == [
        "configuration",
        "database",
        "jwt_secret",
        "admin",
        "llm",
        "embedding",
        "vectors",
        "storage",
        "redis",
        "workers",
        "backups",
        "disk",
    ]
    assert {name: c["status"] for name, c in checks.items()} == {
        **{name: "ok" for name in checks},
        "llm": "skip",
        "redis": "skip",
    }
    assert checks["workers"]["detail"] == "in-process"
    assert "1 collection(s) in use, all 384d" in checks["vectors"]["detail"]


def test_lines_carry_a_mark_per_item_and_the_exit_code_follows(healthy: Home) -> None:
    result = runner.invoke(app, ["preflight", "--backups", str(healthy.backups), "--min-free-gb", "0.01"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("✓ database") for line in lines)
    assert any(line.startswith("– llm") for line in lines)
    assert lines[-1] == "preflight passed"


def test_database_down(healthy: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql+pymysql://nobody:wrong@127.0.0.1:1/none")
    checks = _preflight("--backups", str(healthy.backups), exit_code=1)
    assert checks["database"]["status"] == "fail"
    assert "unreachable" in checks["database"]["detail"]
    assert "database" in _failed(checks)


def test_database_behind_head(healthy: Home) -> None:
    settings = load_settings()
    _, previous = _previous_revision()
    migrations.downgrade(settings.database_url, previous)
    checks = _preflight("--backups", str(healthy.backups), exit_code=1)
    assert _failed(checks) == {"database"}
    assert f"at revision {previous}" in checks["database"]["detail"]


def _previous_revision() -> tuple[str, str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrations.alembic_config("sqlite://"))
    head = script.get_revision(migrations.head_revision())
    assert head is not None and isinstance(head.down_revision, str)
    return head.revision, head.down_revision


@pytest.mark.parametrize("secret", ["changeme", "short-but-random-9f2c", "a" * 40])
def test_weak_secret(healthy: Home, monkeypatch: pytest.MonkeyPatch, secret: str) -> None:
    monkeypatch.setenv("JWT_SECRET", secret)
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=1)
    assert _failed(checks) == {"jwt_secret"}


def test_weak_secret_in_production_is_reported_not_refused(
    healthy: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JURISGRAPH_ENV", "production")
    monkeypatch.setenv("JWT_SECRET", "secret")
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=1)
    assert {"configuration", "jwt_secret"} <= _failed(checks)
    assert "JWT_SECRET is a known default" in checks["configuration"]["detail"]


def test_no_admin(tmp_path: Path, home: Path) -> None:
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    checks = _preflight("--min-free-gb", "0.01", exit_code=1)
    assert checks["admin"]["status"] == "fail"


def test_wrong_vector_dimension(healthy: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURISGRAPH_EMBEDDING_DIM", "768")
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=1)
    assert _failed(checks) == {"vectors"}
    assert SPEC.name in checks["vectors"]["detail"] and "768d" in checks["vectors"]["detail"]


def test_only_collections_behind_aliases_count(healthy: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a re-index to a new model the old collection stays (for a rollback): it is not in use."""
    container = Container.build(load_settings())
    try:
        old = CollectionSpec(kind="chunks", model="gemini_gemini_embedding_001_768", dim=768)
        container.vector_index().ensure_collection(old)
    finally:
        container.close()
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=0)
    assert checks["vectors"]["status"] == "ok"


def test_an_embedded_store_in_use_is_still_checked(healthy: Home) -> None:
    """Listing collections and aliases opens no shard: preflight runs beside a running server."""
    container = Container.build(load_settings())
    try:
        index = container.vector_index()
        assert index.count(SPEC.name) == 0  # the shard is open in this client, as in a running server
        checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=0)
    finally:
        container.close()
    assert checks["vectors"]["status"] == "ok"


@pytest.mark.parametrize(
    ("variables", "failing"),
    [
        ({"JURISGRAPH_LLM_PROVIDER": "gemini"}, "llm"),
        ({"JURISGRAPH_LLM_PROVIDER": "openai"}, "llm"),
        ({"JURISGRAPH_EMBEDDING_PROVIDER": "gemini", "JURISGRAPH_EMBEDDING_DIM": "384"}, "embedding"),
    ],
)
def test_missing_key(
    healthy: Home, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], failing: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=1)
    assert _failed(checks) == {"configuration", failing}


def test_online_calls_the_llm_through_the_gateway_and_the_ledger_records_it(
    healthy: Home, monkeypatch: pytest.MonkeyPatch, openai: Served
) -> None:
    openai.answer(ChatTurn("ok", 12, 1))
    monkeypatch.setenv("JURISGRAPH_LLM_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", str(openai.server.base_url))
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("JURISGRAPH_LLM_MODEL", "gpt-4o-mini")
    checks = _preflight("--online", "--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=0)
    assert checks["llm"]["status"] == "ok" and "openai answered" in checks["llm"]["detail"]
    assert checks["embedding"]["status"] == "ok" and "answered" in checks["embedding"]["detail"]
    assert len(openai.requests()) == 1
    engine = create_engine(load_settings().database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT provider, status FROM llm_calls")).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [("openai", "ok")]


def test_online_reports_a_failing_provider(
    healthy: Home, monkeypatch: pytest.MonkeyPatch, openai: Served
) -> None:
    openai.fail(10, 401)
    monkeypatch.setenv("JURISGRAPH_LLM_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", str(openai.server.base_url))
    monkeypatch.setenv("OPENAI_API_KEY", "wrong-key")
    checks = _preflight("--online", "--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=1)
    assert _failed(checks) == {"llm"}


def test_unwritable_storage(healthy: Home, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("JURISGRAPH_STORAGE_PATH", str(blocker / "storage"))
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=1)
    assert _failed(checks) == {"storage"}
    assert "not writable" in checks["storage"]["detail"]


def test_s3_storage_is_checked_with_an_object(
    healthy: Home, monkeypatch: pytest.MonkeyPatch, s3_bucket: Any
) -> None:
    monkeypatch.setenv("JURISGRAPH_STORAGE_BACKEND", "s3")
    monkeypatch.setenv("S3_BUCKET", s3_bucket.name)
    monkeypatch.setenv("S3_ENDPOINT_URL", s3_bucket.server.endpoint_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3_bucket.server.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3_bucket.server.secret_access_key)
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=0)
    assert checks["storage"]["status"] == "ok"
    assert checks["storage"]["detail"] == f"s3://{s3_bucket.name} writable (s3)"
    assert list(s3_bucket.server.client().list_objects_v2(Bucket=s3_bucket.name).get("Contents", [])) == []

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "a-wrong-secret")
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=1)
    assert _failed(checks) == {"storage"}
    assert f"s3://{s3_bucket.name} is not writable" in checks["storage"]["detail"]


def test_redis_down(healthy: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=1)
    assert checks["redis"]["status"] == "fail"
    assert checks["workers"]["status"] == "fail"


def test_workers_are_seen_through_their_broker_heartbeats(
    healthy: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = os.environ.get("JURISGRAPH_TEST_REDIS_URL")
    if not url:
        pytest.skip("JURISGRAPH_TEST_REDIS_URL not set")
    import redis

    prefix = f"jgtest-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.setenv("JURISGRAPH_REDIS_KEY_PREFIX", prefix)
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=1)
    assert checks["redis"]["status"] == "ok"
    assert _failed(checks) == {"workers"}
    client = redis.Redis.from_url(url)
    try:
        client.zadd(f"{prefix}:__heartbeats__", {"worker-1": int(time.time() * 1000)})
        checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=0)
        assert "1 broker process(es)" in checks["workers"]["detail"]
    finally:
        client.delete(f"{prefix}:__heartbeats__")
        client.close()


def test_backups_too_old_or_unverified(healthy: Home, tmp_path: Path) -> None:
    old = tmp_path / "old"
    _backup(old, age=timedelta(hours=50))
    checks = _preflight("--backups", str(old), "--min-free-gb", "0.01", exit_code=1)
    assert _failed(checks) == {"backups"} and "h old" in checks["backups"]["detail"]
    checks = _preflight(
        "--backups", str(old), "--backup-max-age-hours", "72", "--min-free-gb", "0.01", exit_code=0
    )
    unverified = tmp_path / "unverified"
    _backup(unverified, verified=False)
    checks = _preflight("--backups", str(unverified), "--min-free-gb", "0.01", exit_code=1)
    assert _failed(checks) == {"backups"} and "no verified backup" in checks["backups"]["detail"]


def test_disk_below_the_minimum(healthy: Home) -> None:
    checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "1000000", exit_code=1)
    assert _failed(checks) == {"disk"}


@pytest.mark.mariadb
def test_mariadb_database_at_head_passes(healthy: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fixtures.databases import _drop_mariadb_database, _new_mariadb_database

    server = os.environ.get(MARIADB_ENV)
    if not server:
        pytest.skip(f"{MARIADB_ENV} not set")
    name, url = _new_mariadb_database(server)
    try:
        monkeypatch.setenv("DATABASE_URL", url)
        checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=1)
        assert _failed(checks) == {"database", "admin"}
        _prepare()
        checks = _preflight("--backups", str(healthy.backups), "--min-free-gb", "0.01", exit_code=0)
        assert checks["database"]["status"] == "ok"
    finally:
        _drop_mariadb_database(server, name)

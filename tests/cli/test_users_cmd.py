"""`jurisgraph users …` and `jurisgraph keys …` on a fresh embedded home."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from jurisgraph.auth import service
from jurisgraph.cli.main import app
from jurisgraph.config import load_settings
from jurisgraph.db import session_scope
from jurisgraph.errors import Unauthorized
from jurisgraph.runtime import Container

KEY = re.compile(r"^jg_[0-9a-f]{8}_\S+$", re.MULTILINE)


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def rows(sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(load_settings().database_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()


def can_sign_in(email: str, password: str) -> bool:
    container = Container.build(load_settings())
    try:
        with session_scope(container.sessions) as session:
            service.authenticate(session, email, password)
        return True
    except Unauthorized:
        return False
    finally:
        container.close()


def test_users_create_list_disable_and_reset_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert "created user 1 ana@example.org (user)" in run(
        "users", "create", "--email", "ana@example.org", "--password", "ana-password-1"
    )
    admin = run("users", "create-admin", "--email", "root@example.org")
    generated = re.search(r"password: (\S+)", admin)
    assert generated and "(admin)" in admin
    assert can_sign_in("root@example.org", generated.group(1))
    assert rows("select slug, owner_user_id from workspaces order by id") == [("user-1", 1), ("user-2", 2)]

    listed = run("users", "list")
    assert "ana@example.org" in listed and "root@example.org" in listed and "admin" in listed

    duplicate = CliRunner().invoke(
        app, ["users", "create", "--email", "ANA@example.org", "--password", "another-password"]
    )
    assert duplicate.exit_code == 1 and "exists" in duplicate.output

    assert "disabled" in run("users", "disable", "--email", "ana@example.org")
    assert not can_sign_in("ana@example.org", "ana-password-1")
    assert "enabled" in run("users", "disable", "--email", "ana@example.org", "--enable")
    run("users", "reset-password", "--email", "ana@example.org", "--password", "ana-password-2")
    assert can_sign_in("ana@example.org", "ana-password-2")
    assert not can_sign_in("ana@example.org", "ana-password-1")


def test_keys_create_prints_the_key_once_then_list_and_revoke(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    run("users", "create", "--email", "ana@example.org", "--password", "ana-password-1")
    created = run("keys", "create", "--email", "ana@example.org", "--name", "etl", "--expires-days", "7")
    found = KEY.search(created)
    assert found, created
    key = found.group(0)
    assert rows("select key_hash, name from api_keys") == [(hashlib.sha256(key.encode()).hexdigest(), "etl")]

    listed = run("keys", "list", "--email", "ana@example.org")
    assert "etl" in listed and key not in listed and key[:11] in listed
    assert "revoked" in run("keys", "revoke", "1")
    assert rows("select revoked_at is not null from api_keys") == [(1,)]
    missing = CliRunner().invoke(app, ["keys", "revoke", "99"])
    assert missing.exit_code == 1

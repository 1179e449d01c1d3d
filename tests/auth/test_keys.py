"""API keys through the real app: shown once, hashed at rest, last use recorded, revoked and expired
keys refused, and whose keys a caller may manage."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from jurisgraph.config import Settings
from tests.fixtures.accounts import add_user, bearer, container_of

OWNER = "owner@example.org"
OTHER = "other@example.org"


def key_me(client: TestClient, key: str) -> int:
    return client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {key}"}).status_code


def rows(settings: Settings, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = create_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(r) for r in result.all()] if result.returns_rows else []
    finally:
        engine.dispose()


def test_a_key_is_shown_once_stored_hashed_and_its_use_recorded(
    client: TestClient, settings: Settings
) -> None:
    owner = bearer(container_of(client), OWNER, role="user")
    created = client.post("/api/v1/keys", json={"name": "notebook", "expires_days": 30}, headers=owner)
    assert created.status_code == 201
    body = created.json()
    key = body["key"]
    assert key.startswith(body["prefix"] + "_") and body["expires_at"] and body["last_used_at"] is None

    listed = client.get("/api/v1/keys", headers=owner).json()
    assert [k["id"] for k in listed] == [body["id"]] and "key" not in listed[0]
    assert key not in client.get("/api/v1/keys", headers=owner).text
    stored = rows(settings, "select key_hash from api_keys where id = :i", i=body["id"])
    assert stored == [(hashlib.sha256(key.encode()).hexdigest(),)]
    assert not rows(settings, "select id from api_keys where key_hash = :k or prefix = :k", k=key)

    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200 and me.json()["email"] == OWNER and me.json()["via"] == "api_key"
    used = client.get("/api/v1/keys", headers=owner).json()[0]
    assert used["last_used_at"] is not None


def test_a_revoked_key_and_an_expired_key_are_refused(client: TestClient, settings: Settings) -> None:
    owner = bearer(container_of(client), OWNER, role="user")
    revoked = client.post("/api/v1/keys", json={"name": "a"}, headers=owner).json()
    expiring = client.post("/api/v1/keys", json={"name": "b", "expires_days": 1}, headers=owner).json()
    for made in (revoked, expiring):
        assert key_me(client, made["key"]) == 200

    gone = client.delete(f"/api/v1/keys/{revoked['id']}", headers=owner)
    assert gone.status_code == 200 and gone.json()["revoked_at"]
    rows(settings, "update api_keys set expires_at = '2000-01-01 00:00:00' where id = :i", i=expiring["id"])
    for made in (revoked, expiring):
        assert key_me(client, made["key"]) == 401
    made = client.post("/api/v1/keys", json={"name": "c"}, headers=owner).json()["key"]
    assert key_me(client, made + "x") == 401


def test_users_manage_only_their_own_keys_and_admins_any(client: TestClient) -> None:
    container = container_of(client)
    owner = bearer(container, OWNER, role="user")
    other = bearer(container, OTHER, role="user")
    admin = bearer(container, "root@example.org", role="admin")
    other_id = add_user(container, OTHER)
    mine = client.post("/api/v1/keys", json={"name": "mine"}, headers=owner).json()

    assert client.get("/api/v1/keys", headers=other).json() == []
    assert client.delete(f"/api/v1/keys/{mine['id']}", headers=other).status_code == 404
    assert client.post("/api/v1/keys", json={"user_id": other_id}, headers=owner).status_code == 403
    assert client.get("/api/v1/keys", params={"all": True}, headers=owner).status_code == 403

    made = client.post("/api/v1/keys", json={"name": "for other", "user_id": other_id}, headers=admin)
    assert made.status_code == 201 and made.json()["user_id"] == other_id
    assert [k["name"] for k in client.get("/api/v1/keys", headers=other).json()] == ["for other"]
    everyone = client.get("/api/v1/keys", params={"all": True}, headers=admin).json()
    assert {k["name"] for k in everyone} == {"mine", "for other"}
    assert client.delete(f"/api/v1/keys/{mine['id']}", headers=admin).status_code == 200

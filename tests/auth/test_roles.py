"""Who may call which route: every admin route refuses anonymous callers (401) and users (403);
the corpus is readable anonymously only while public read is on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.auth.conftest import app_settings, running
from tests.fixtures.accounts import add_user, bearer, container_of

ADMIN_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/api/v1/ingest", {"sample": False, "dataset": "no-such-dataset"}),
    ("GET", "/api/v1/jobs/00000000-0000-0000-0000-000000000000", None),
    ("GET", "/api/v1/queries/export", None),
    ("GET", "/api/v1/users", None),
    ("POST", "/api/v1/users", {"email": "new@example.org", "password": "password-1234"}),
    ("PATCH", "/api/v1/users/{user}", {"role": "user"}),
    ("POST", "/api/v1/users/{user}/reset-password", {"password": "password-1234"}),
]
USER_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/auth/me", None),
    ("POST", "/api/v1/auth/logout", None),
    ("POST", "/api/v1/auth/password", {"current_password": "x", "new_password": "password-5678"}),
    ("GET", "/api/v1/queries/1", None),
    ("GET", "/api/v1/keys", None),
    ("POST", "/api/v1/keys", {"name": "k"}),
    ("DELETE", "/api/v1/keys/1", None),
    ("GET", "/api/v1/datasets", None),
    ("GET", "/api/v1/extraction-logs", None),
]
CORPUS_READS = [
    ("GET", "/api/v1/search?q=tema", None),
    ("POST", "/api/v1/ask", {"question": "Qual a tese do Tema 1.076?"}),
    ("GET", "/api/v1/ask/stream?q=tema", None),
    ("GET", "/api/v1/graph/entities?q=tema", None),
    ("GET", "/api/v1/graph/communities", None),
    ("GET", "/api/v1/graph/stats", None),
    (
        "POST",
        "/api/v1/graph/query",
        {"question": "quantos temas da Primeira Seção o Min. Sérgio Kukina relatou"},
    ),
]


def call(client: TestClient, method: str, path: str, body: dict[str, Any] | None, **headers: str) -> int:
    return client.request(method, path, json=body, headers=headers).status_code


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_admin_routes_refuse_anonymous_callers_and_users(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    container = container_of(client)
    user = bearer(container, "someone@example.org", role="user")
    admin = bearer(container, "root@example.org", role="admin")
    path = path.format(user=add_user(container, "someone@example.org"))
    assert call(client, method, path, body) == 401
    assert call(client, method, path, body, **user) == 403
    assert call(client, method, path, body, **admin) not in (401, 403)


@pytest.mark.parametrize(("method", "path", "body"), USER_ROUTES)
def test_user_routes_refuse_anonymous_callers(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    user = bearer(container_of(client), "someone@example.org", role="user")
    assert call(client, method, path, body) == 401
    assert call(client, method, path, body, **user) not in (401, 403)


def test_the_corpus_is_readable_anonymously_while_public_read_is_on(client: TestClient) -> None:
    for method, path, body in CORPUS_READS:
        assert call(client, method, path, body) == 200, path


def test_an_anonymous_caller_has_no_history_to_list(client: TestClient) -> None:
    assert client.post("/api/v1/ask", json={"question": "Qual a tese do Tema 1.076?"}).status_code == 200
    assert client.get("/api/v1/queries").json() == []  # anonymous questions are nobody's history


def test_without_public_read_the_corpus_needs_a_user(tmp_path: Path) -> None:
    with running(app_settings(tmp_path / "closed", JURISGRAPH_AUTH_PUBLIC_READ="false")) as client:
        user = bearer(container_of(client), "someone@example.org", role="user")
        for method, path, body in CORPUS_READS:
            assert call(client, method, path, body) == 401, path
            assert call(client, method, path, body, **user) == 200, path


def test_public_read_is_off_by_default_in_production_only(tmp_path: Path) -> None:
    dev = app_settings(tmp_path / "dev")
    production = app_settings(
        tmp_path / "prod", JURISGRAPH_ENV="production", JWT_SECRET="a-long-enough-production-secret-0123"
    )
    forced = app_settings(
        tmp_path / "forced",
        JURISGRAPH_ENV="production",
        JWT_SECRET="a-long-enough-production-secret-0123",
        JURISGRAPH_AUTH_PUBLIC_READ="true",
    )
    assert (dev.public_read, production.public_read, forced.public_read) == (True, False, True)


def test_the_last_admin_cannot_be_disabled(client: TestClient) -> None:
    container = container_of(client)
    admin = bearer(container, "root@example.org", role="admin")
    admin_id = add_user(container, "root@example.org")
    refused = client.patch(f"/api/v1/users/{admin_id}", json={"is_active": False}, headers=admin)
    assert refused.status_code == 409


def test_openapi_declares_the_cookie_and_bearer_schemes_on_routes(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["cookie"] == {
        **schemes["cookie"],
        "type": "apiKey",
        "in": "cookie",
        "name": "jurisgraph_session",
    }
    assert schemes["bearer"]["scheme"] == "bearer"
    for path in ("/api/v1/users", "/api/v1/search", "/api/v1/queries"):
        security = next(iter(schema["paths"][path].values()))["security"]
        assert {name for entry in security for name in entry} == {"cookie", "bearer"}, path

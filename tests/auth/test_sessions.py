"""Sign-in, sign-out and password changes through the real app: cookies, bearer tokens, token
versions, and the CSRF double submit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from jurisgraph.auth import tokens
from jurisgraph.config import Settings
from tests.auth.conftest import app_settings, running
from tests.fixtures.accounts import PASSWORD, add_user, container_of, error_code, login

EMAIL = "maria@example.org"


def me(client: TestClient, **headers: str) -> int:
    return client.get("/api/v1/auth/me", headers=headers).status_code


def test_login_sets_an_httponly_session_cookie_and_a_readable_csrf_cookie(client: TestClient) -> None:
    add_user(container_of(client), EMAIL)
    response = client.post("/api/v1/auth/login", json={"email": EMAIL.upper(), "password": PASSWORD})
    assert response.status_code == 200, response.text
    cookies = {c.split("=", 1)[0]: c.lower() for c in response.headers.get_list("set-cookie")}
    assert "httponly" in cookies["jurisgraph_session"] and "samesite=lax" in cookies["jurisgraph_session"]
    assert "max-age=2592000" in cookies["jurisgraph_session"]  # 30 days
    assert "httponly" not in cookies["jurisgraph_csrf"]
    assert "secure" not in cookies["jurisgraph_session"]  # dev: plain http works
    body = response.json()
    assert (
        body["user"]["email"] == EMAIL
        and body["user"]["role"] == "user"
        and "password_hash" not in body["user"]
    )
    assert client.get("/api/v1/auth/me").json()["via"] == "cookie"
    assert me(TestClient(client.app), Authorization=f"Bearer {body['token']}") == 200


def test_the_session_cookie_is_secure_in_production(tmp_path: Path) -> None:
    settings = app_settings(
        tmp_path / "prod",
        JURISGRAPH_ENV="production",
        JWT_SECRET="x" * 20 + "production-secret-value",
        JURISGRAPH_AUTH_PUBLIC_READ="true",
        JURISGRAPH_APP_ALLOWED_HOSTS='["testserver"]',
    )
    with running(settings) as client:
        add_user(container_of(client), EMAIL)
        response = client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    session = next(c for c in response.headers.get_list("set-cookie") if c.startswith("jurisgraph_session"))
    assert "secure" in session.lower()


def test_a_wrong_password_or_unknown_email_is_the_same_401(client: TestClient) -> None:
    add_user(container_of(client), EMAIL)
    wrong = client.post("/api/v1/auth/login", json={"email": EMAIL, "password": "not the password"})
    unknown = client.post("/api/v1/auth/login", json={"email": "nobody@example.org", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert "jurisgraph_session" not in client.cookies


def test_logout_ends_every_earlier_token(client: TestClient) -> None:
    add_user(container_of(client), EMAIL)
    csrf = login(client, EMAIL)
    other = TestClient(client.app)
    token = other.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}).json()["token"]
    assert me(other, Authorization=f"Bearer {token}") == 200
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert me(client) == 401  # cookies cleared
    assert me(other, Authorization=f"Bearer {token}") == 401  # and the other session's token is dead


def test_a_password_change_ends_earlier_tokens_and_keeps_this_session(client: TestClient) -> None:
    add_user(container_of(client), EMAIL)
    csrf = login(client, EMAIL)
    old_cookie = client.cookies["jurisgraph_session"]
    change = {"current_password": "wrong one", "new_password": "a brand new password"}
    wrong = client.post("/api/v1/auth/password", json=change, headers={"X-CSRF-Token": csrf})
    assert wrong.status_code == 400 and error_code(wrong) == "wrong_password"
    change["current_password"] = PASSWORD
    assert (
        client.post("/api/v1/auth/password", json=change, headers={"X-CSRF-Token": csrf}).status_code == 200
    )
    assert client.cookies["jurisgraph_session"] != old_cookie and me(client) == 200
    assert me(TestClient(client.app), Authorization=f"Bearer {old_cookie}") == 401
    relogin = TestClient(client.app).post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert relogin.status_code == 401
    login(TestClient(client.app), EMAIL, "a brand new password")


def test_expired_and_forged_tokens_are_refused(client: TestClient, settings: Settings) -> None:
    user_id = add_user(container_of(client), EMAIL)
    secret = settings.auth.jwt_secret.get_secret_value()
    good = tokens.issue(user_id, 0, secret=secret, ttl=timedelta(days=1))
    expired = tokens.issue(
        user_id, 0, secret=secret, ttl=timedelta(hours=1), now=datetime.now(UTC) - timedelta(hours=2)
    )
    forged = tokens.issue(user_id, 0, secret="a-different-secret-" * 3, ttl=timedelta(days=1))
    wrong_version = tokens.issue(user_id, 5, secret=secret, ttl=timedelta(days=1))
    assert me(client, Authorization=f"Bearer {good}") == 200
    for bad in (expired, forged, wrong_version, "garbage"):
        assert me(client, Authorization=f"Bearer {bad}") == 401
        fresh = TestClient(client.app)
        fresh.cookies.set("jurisgraph_session", bad)
        assert me(fresh) == 401  # a bad cookie is an anonymous caller
    assert me(client, Authorization="Basic dXNlcjpwYXNz") == 401


def test_a_disabled_user_is_signed_out_and_cannot_sign_in(client: TestClient) -> None:
    container = container_of(client)
    user_id = add_user(container, EMAIL)
    admin = TestClient(client.app)
    add_user(container, "root@example.org", role="admin")
    admin_csrf = login(admin, "root@example.org")
    csrf = login(client, EMAIL)
    disable = admin.patch(
        f"/api/v1/users/{user_id}", json={"is_active": False}, headers={"X-CSRF-Token": admin_csrf}
    )
    assert disable.status_code == 200 and disable.json()["is_active"] is False
    assert me(client) == 401 and csrf
    assert (
        TestClient(client.app)
        .post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
        .status_code
        == 401
    )


def test_cookie_requests_that_change_state_need_the_csrf_token(client: TestClient) -> None:
    add_user(container_of(client), EMAIL)
    csrf = login(client, EMAIL)
    missing = client.post("/api/v1/keys", json={"name": "x"})
    wrong = client.post("/api/v1/keys", json={"name": "x"}, headers={"X-CSRF-Token": "not-it"})
    assert missing.status_code == wrong.status_code == 403
    assert error_code(missing) == "csrf"
    assert client.post("/api/v1/keys", json={"name": "x"}, headers={"X-CSRF-Token": csrf}).status_code == 201
    # a cookie-authenticated question is a POST too
    assert client.post("/api/v1/ask", json={"question": "Tema 1.076"}).status_code == 403
    # reads need no token
    assert client.get("/api/v1/keys").status_code == 200


def test_an_html_form_sends_the_csrf_token_as_a_field(client: TestClient) -> None:
    add_user(container_of(client), EMAIL)
    signed = client.post(
        "/api/v1/auth/login",
        data={"email": EMAIL, "password": PASSWORD, "next": "/grafo"},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/grafo"
    csrf = client.cookies["jurisgraph_csrf"]
    refused = client.post("/api/v1/auth/logout", data={"csrf_token": "wrong"})
    assert refused.status_code == 403
    assert client.post("/api/v1/auth/logout", data={"csrf_token": csrf}).status_code == 200
    failed = client.post(
        "/api/v1/auth/login",
        data={"email": EMAIL, "password": "wrong password", "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert failed.status_code == 303 and failed.headers["location"].startswith("/login?erro=1")
    assert "evil.example" not in failed.headers["location"]


def test_bearer_and_api_key_requests_need_no_csrf_token(client: TestClient) -> None:
    add_user(container_of(client), EMAIL)
    token = (
        TestClient(client.app)
        .post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
        .json()["token"]
    )
    bare = TestClient(client.app)
    created = bare.post("/api/v1/keys", json={"name": "ci"}, headers={"Authorization": f"Bearer {token}"})
    assert created.status_code == 201
    key = created.json()["key"]
    again = bare.post("/api/v1/keys", json={"name": "ci-2"}, headers={"Authorization": f"Bearer {key}"})
    assert again.status_code == 201

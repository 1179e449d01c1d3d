"""Query rate limits (per user, per IP when anonymous; in memory or shared through Redis) and login
throttling with a temporary lockout."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jurisgraph.config import Settings
from jurisgraph.kit.ratelimit import RateLimiter
from tests.auth.conftest import app_settings, running
from tests.fixtures.accounts import PASSWORD, add_user, bearer, container_of, error_code

REDIS_ENV = "JURISGRAPH_TEST_REDIS_URL"
QUERIES = [
    ("GET", "/api/v1/search?q=tema", None),
    ("POST", "/api/v1/ask", {"question": "Qual a tese do Tema 1.076?"}),
    ("GET", "/api/v1/ask/stream?q=tema", None),
    ("POST", "/api/v1/graph/query", {"question": "quantos temas o Min. Sérgio Kukina relatou"}),
]


def query(client: TestClient, n: int, **headers: str) -> int:
    method, path, body = QUERIES[n % len(QUERIES)]
    response = client.request(method, path, json=body, headers=headers)
    if response.status_code == 429:
        assert int(response.headers["Retry-After"]) >= 1
        assert error_code(response) == "rate_limited"
    return response.status_code


def test_the_eleventh_query_in_a_minute_is_refused_with_retry_after(client: TestClient) -> None:
    statuses = [query(client, n) for n in range(11)]
    assert statuses == [200] * 10 + [429]
    response = client.get("/api/v1/search", params={"q": "tema"})
    assert response.status_code == 429 and 1 <= int(response.headers["Retry-After"]) <= 60


def test_the_limit_is_per_user_and_anonymous_callers_share_their_ip(client: TestClient) -> None:
    container = container_of(client)
    ana, bia = (
        bearer(container, "ana@example.org", role="user"),
        bearer(container, "bia@example.org", role="user"),
    )
    assert [query(client, n, **ana) for n in range(11)][-1] == 429
    assert query(client, 0, **bia) == 200  # another user has her own budget
    assert query(client, 0) == 200  # and so has the anonymous caller's address
    assert client.get("/api/v1/graph/stats").status_code == 200  # browsing is not a query


def test_the_limit_is_configurable(tmp_path: Path) -> None:
    with running(app_settings(tmp_path / "h", JURISGRAPH_AUTH_QUERY_RATE_LIMIT="3/minute")) as client:
        assert [query(client, n) for n in range(4)] == [200, 200, 200, 429]


@pytest.fixture
def redis_settings(tmp_path: Path) -> Settings:
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set")
    return app_settings(
        tmp_path / "shared", REDIS_URL=url, JURISGRAPH_REDIS_KEY_PREFIX=f"test-{uuid.uuid4().hex}"
    )


def test_the_limit_holds_across_two_app_instances_sharing_redis(redis_settings: Settings) -> None:
    with running(redis_settings) as first, running(redis_settings) as second:
        assert container_of(first).rate_limiter() is not container_of(second).rate_limiter()
        statuses = [query(first if n % 2 else second, n) for n in range(10)]
        assert statuses == [200] * 10
        assert query(first, 10) == 429 and query(second, 11) == 429


def test_failed_logins_lock_the_email_and_address_out(client: TestClient) -> None:
    add_user(container_of(client), "ana@example.org")
    wrong = {"email": "ana@example.org", "password": "wrong password"}
    statuses = [client.post("/api/v1/auth/login", json=wrong).status_code for _ in range(5)]
    assert statuses == [401] * 5
    locked = client.post("/api/v1/auth/login", json={"email": "ana@example.org", "password": PASSWORD})
    assert locked.status_code == 429  # even the right password, while locked out
    assert int(locked.headers["Retry-After"]) > 60  # the lockout outlasts the counting window
    assert error_code(locked) == "rate_limited"
    # another e-mail from the same address is not locked
    add_user(container_of(client), "bia@example.org")
    other = client.post("/api/v1/auth/login", json={"email": "bia@example.org", "password": PASSWORD})
    assert other.status_code == 200


def test_a_successful_login_clears_the_failures(client: TestClient) -> None:
    add_user(container_of(client), "ana@example.org")
    wrong = {"email": "ana@example.org", "password": "wrong password"}
    right = {"email": "ana@example.org", "password": PASSWORD}
    for _ in range(2):
        assert [client.post("/api/v1/auth/login", json=wrong).status_code for _ in range(4)] == [401] * 4
        assert client.post("/api/v1/auth/login", json=right).status_code == 200


def test_the_rate_limiter_counts_per_key_and_tells_the_wait() -> None:
    limiter = RateLimiter()
    assert [limiter.hit("2/minute", "q", "a") for _ in range(2)] == [None, None]
    wait = limiter.hit("2/minute", "q", "a")
    assert wait is not None and 1 <= wait <= 60
    assert limiter.blocked("2/minute", "q", "a") is not None
    assert limiter.blocked("2/minute", "q", "b") is None
    limiter.clear("2/minute", "q", "a")
    assert limiter.hit("2/minute", "q", "a") is None


def test_questions_asked_on_the_web_pages_count_too(client: TestClient) -> None:
    statuses = [
        client.get("/busca" if n % 2 else "/perguntar", params={"q": "Tema 1.076"}).status_code
        for n in range(10)
    ]
    assert statuses == [200] * 10
    assert client.get("/busca", params={"q": "Tema 1.076"}).status_code == 429
    assert client.get("/busca").status_code == 200  # the empty form is no query


def test_an_unreachable_redis_is_a_503_not_a_crash(tmp_path: Path) -> None:
    settings = app_settings(tmp_path / "h", REDIS_URL="redis://127.0.0.1:1/0")
    with running(settings) as client:
        add_user(container_of(client), "ana@example.org")
        search = client.get("/api/v1/search", params={"q": "tema"})
        login = client.post("/api/v1/auth/login", json={"email": "ana@example.org", "password": PASSWORD})
        assert (search.status_code, login.status_code) == (503, 503)
        assert error_code(search) == error_code(login) == "unavailable"

"""The query rate limit holds across two real server processes (``jurisgraph serve`` on 127.0.0.1)
sharing one home (SQLite), the Qdrant-protocol test server and Redis under a unique key prefix: the
11th query within a minute, whichever process answers it, is a 429 with Retry-After, never a 5xx."""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from jurisgraph import migrations
from tests.fixtures.accounts import bearer
from tests.fixtures.homes import container_at, make_settings
from tests.fixtures.processes import process_env, serve_process

REDIS_ENV = "JURISGRAPH_TEST_REDIS_URL"
QUESTION = {"question": "quantos temas o Min. Sérgio Kukina relatou"}


@pytest.fixture
def servers(tmp_path: Path, qdrant_http: str) -> Iterator[tuple[list[str], dict[str, str]]]:
    """Two server processes on one home; the bearer headers of a user of that home."""
    redis_url = os.environ.get(REDIS_ENV)
    if not redis_url:
        pytest.skip(f"{REDIS_ENV} is not set")
    home = tmp_path / "home"
    variables = {
        "JURISGRAPH_HOME": str(home),
        "QDRANT_URL": qdrant_http,
        "REDIS_URL": redis_url,
        "JURISGRAPH_REDIS_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "JWT_SECRET": secrets.token_hex(32),
        "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
        "JURISGRAPH_APP_LOG_LEVEL": "WARNING",
    }
    settings = make_settings(home, **variables)
    home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    with container_at(home, **variables) as container:
        headers = bearer(container, "ana@example.org", role="user")
    env = process_env(variables)
    with ExitStack() as stack:
        urls = [stack.enter_context(serve_process(env, tmp_path / f"server-{n}.log")) for n in (1, 2)]
        yield urls, headers


def query(url: str, n: int, headers: dict[str, str]) -> httpx.Response:
    """A query counted by the limit: a search or a graph question, in turn."""
    if n % 2:
        return httpx.post(f"{url}/api/v1/graph/query", json=QUESTION, headers=headers, timeout=60)
    return httpx.get(f"{url}/api/v1/search", params={"q": "tema"}, headers=headers, timeout=60)


@pytest.mark.parametrize("caller", ["user", "anonymous"])
def test_the_eleventh_query_across_two_processes_is_a_429_with_retry_after(
    servers: tuple[list[str], dict[str, str]], caller: str
) -> None:
    urls, user = servers
    headers = user if caller == "user" else {}
    answers = [query(urls[n % 2], n, headers) for n in range(12)]
    statuses = [a.status_code for a in answers]
    assert statuses == [200] * 10 + [429, 429], [a.text[:200] for a in answers]
    for refused, url in zip(answers[10:], urls, strict=True):
        assert refused.json()["error"] == "rate_limited", url
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # browsing is no query: both processes still answer it
    assert all(httpx.get(f"{u}/api/v1/graph/stats", headers=headers).status_code == 200 for u in urls)

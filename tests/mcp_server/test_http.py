"""The official ``mcp`` client over streamable HTTP at ``/mcp`` of a real server on the sample: every
tool listed and called, results matching the graph; a missing, wrong or revoked key gets 401."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import httpx2
import pytest
from fastapi.testclient import TestClient
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from jurisgraph.app import create_app
from jurisgraph.auth import service as auth
from jurisgraph.db import session_scope
from tests.auth.conftest import app_settings
from tests.fixtures.live import Live, api_key
from tests.fixtures.sample import Sample
from tests.mcp_server.checks import exercise, facts

LIST_TOOLS = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
ACCEPT = {"Accept": "application/json, text/event-stream"}


@asynccontextmanager
async def connected(url: str, key: str) -> AsyncIterator[Client]:
    """An ``mcp`` client on ``url``/mcp sending ``key`` as its bearer token."""
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=120)
    async with http, Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client:
        yield client


def test_every_tool_over_streamable_http_matches_the_graph(sample_live: Live, sample: Sample) -> None:
    expected = facts(sample)

    async def run() -> None:
        async with connected(sample_live.url, sample_live.key) as client:
            await exercise(client, expected)

    asyncio.run(run())


@pytest.mark.parametrize(
    "header", [None, "Bearer jg_not_a_real_key_0000000000", "Bearer not-a-token", "Basic x"]
)
def test_a_missing_or_wrong_key_gets_401(sample_live: Live, header: str | None) -> None:
    headers = {**ACCEPT, **({"Authorization": header} if header else {})}
    response = httpx.post(f"{sample_live.url}/mcp", json=LIST_TOOLS, headers=headers, timeout=30)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "tools" not in response.text


def test_a_revoked_key_gets_401_and_the_client_fails(sample_live: Live) -> None:
    _, key_id, key = api_key(sample_live.container, "revoked-mcp@tests.example")
    ok = httpx.post(
        f"{sample_live.url}/mcp", json=LIST_TOOLS, headers={**ACCEPT, "Authorization": f"Bearer {key}"}
    )
    assert ok.status_code == 200 and "get_tema" in ok.text
    with session_scope(sample_live.container.sessions) as session:
        auth.revoke_key(session, key_id, owner_id=None)
    refused = httpx.post(
        f"{sample_live.url}/mcp", json=LIST_TOOLS, headers={**ACCEPT, "Authorization": f"Bearer {key}"}
    )
    assert refused.status_code == 401

    async def run() -> None:
        async with connected(sample_live.url, key) as client:
            await client.list_tools()

    with pytest.raises(BaseException):  # noqa: B017 - the SDK wraps the 401 in its own error groups
        asyncio.run(run())


def test_each_run_of_the_apps_lifespan_serves_mcp(tmp_path: Path) -> None:
    app = create_app(app_settings(tmp_path / "home"))
    for _ in range(2):  # a session manager runs once: each lifespan makes its own
        with TestClient(app) as client:
            _, _, key = api_key(client.app.state.container, "twice@tests.example")  # type: ignore[attr-defined]
            listed = client.post(
                "/mcp", json=LIST_TOOLS, headers={**ACCEPT, "Authorization": f"Bearer {key}"}
            )
            assert listed.status_code == 200 and "list_temas" in listed.text


def test_questions_count_against_the_query_rate_limit(tmp_path: Path) -> None:
    app = create_app(app_settings(tmp_path / "home", JURISGRAPH_AUTH_QUERY_RATE_LIMIT="2/minute"))
    with TestClient(app) as client:
        _, _, key = api_key(client.app.state.container, "limited@tests.example")  # type: ignore[attr-defined]
        headers = {**ACCEPT, "Authorization": f"Bearer {key}"}

        def call(name: str, arguments: dict[str, object]) -> dict[str, object]:
            body = {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "tools/call",
                "params": {"name": name, "arguments": arguments},
            }
            reply = client.post("/mcp", json=body, headers=headers)
            assert reply.status_code == 200, reply.text
            result: dict[str, object] = reply.json()["result"]
            return result

        assert call("search_jurisprudence", {"query": "honorários"})["isError"] is False
        assert call("ask", {"question": "O que é honorário?", "mode": "naive"})["isError"] is False
        refused = call("search_jurisprudence", {"query": "honorários"})
        assert refused["isError"] is True and "rate limit" in str(refused["content"])
        # a card is no question: the limit does not stop it (an empty corpus has no tema 1)
        card = call("get_tema", {"numero": 1})
        assert card["isError"] is True and "not found" in str(card["content"])

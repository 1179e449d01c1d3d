"""The official ``mcp`` client over stdio: ``jurisgraph mcp`` in a subprocess on the sample's home,
as a user (``--user``) and as the owner of an API key; a wrong or revoked key never serves."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

import jurisgraph
from jurisgraph.auth import service as auth
from jurisgraph.db import session_scope
from tests.fixtures.accounts import add_user
from tests.fixtures.live import api_key
from tests.fixtures.sample import Sample
from tests.mcp_server.checks import exercise, facts

#: subprocesses that load the embedding model: left out of `make check`, run by `make test`
pytestmark = pytest.mark.slow
STDIO_USER = "stdio@tests.example"
SOURCES = str(Path(jurisgraph.__file__).resolve().parents[1])


def environment(home: Path) -> dict[str, str]:
    """The environment of a command on ``home``: no inherited configuration, this checkout's code."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("JURISGRAPH_") and name not in ("DATABASE_URL", "QDRANT_URL", "REDIS_URL")
    }
    env.update(
        JURISGRAPH_HOME=str(home),
        JURISGRAPH_LLM_PROVIDER="none",
        JURISGRAPH_EMBEDDING_PROVIDER="local",
        JURISGRAPH_PIPELINE_EMBED_ON_START="false",
        PYTHONPATH=SOURCES,
        OMP_NUM_THREADS="1",
    )
    return env


@pytest.fixture
def released(sample: Sample) -> Iterator[Sample]:
    """The sample with its embedded vector store closed, so that a subprocess may open it (one
    process at a time); this process opens it again on its next use."""
    sample.container.release_vector_index()
    try:
        yield sample
    finally:
        sample.container.release_vector_index()


def command(home: Path, *args: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "jurisgraph.cli.main", "mcp", *args],
        env=environment(home),
        cwd=str(home.parent),
    )


def test_every_tool_over_stdio_as_a_user_matches_the_graph(released: Sample) -> None:
    expected = facts(released)
    add_user(released.container, STDIO_USER)

    async def run() -> None:
        async with Client(command(released.settings.home, "--user", STDIO_USER)) as client:
            await exercise(client, expected)

    asyncio.run(run())


def test_stdio_runs_as_the_owner_of_an_api_key(released: Sample) -> None:
    user_id, _, key = api_key(released.container, "stdio-key@tests.example")
    expected = facts(released)

    async def run() -> dict[str, object]:
        params = command(released.settings.home)
        params.env = {**(params.env or {}), "JURISGRAPH_MCP_API_KEY": key}
        async with Client(params) as client:
            result = await client.call_tool("get_tema", {"numero": expected.tema})
            asked = await client.call_tool("ask", {"question": f"Tema {expected.tema}", "mode": "naive"})
        assert not result.is_error and not asked.is_error
        assert isinstance(asked.structured_content, dict)
        return asked.structured_content

    answered = asyncio.run(run())
    owner = released.rows("SELECT user_id FROM rag_queries WHERE id = :id", id=answered["query_id"])
    assert owner == [(user_id,)]


def test_a_wrong_or_revoked_key_never_serves(released: Sample) -> None:
    _, key_id, key = api_key(released.container, "stdio-revoked@tests.example")
    with session_scope(released.container.sessions) as session:
        auth.revoke_key(session, key_id, owner_id=None)
    for wrong in (key, "jg_not_a_real_key_0000000000"):
        params = command(released.settings.home)
        done = subprocess.run(
            [params.command, *params.args],
            env={**(params.env or {}), "JURISGRAPH_MCP_API_KEY": wrong},
            cwd=params.cwd,
            input="",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        assert "invalid API key" in done.stderr
        assert done.stdout == ""

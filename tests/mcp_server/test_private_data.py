"""User B never sees user A's private documents through the OpenAI-compatible API, the MCP server
over streamable HTTP or the MCP server over stdio; A does see them (the checks are not blind).

A real server on an empty home with a private workspace per user, seeded as the private-matrix
tests of ``tests/auth`` seed it (a document and its indexed chunk, entities, a relation…)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from openai import OpenAI

from jurisgraph.app import create_app
from jurisgraph.integrations.embeddings import build_embedder
from jurisgraph.runtime import Container
from tests.auth.conftest import app_settings
from tests.auth.test_private_matrix import LOOKUPS, SECRETS, seed_workspace
from tests.fixtures.live import api_key
from tests.fixtures.processes import serving
from tests.fixtures.sample import QueryEmbedder
from tests.mcp_server.test_http import connected
from tests.mcp_server.test_stdio import command

OWNERS = ("a", "b")
MODELS = ("jurisgraph-auto", "jurisgraph-naive", "jurisgraph-local", "jurisgraph-global", "jurisgraph-hybrid")


@dataclass
class Seeded:
    url: str
    home: Path
    container: Container
    keys: dict[str, str]
    entities: dict[str, str]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    home = tmp_path_factory.mktemp("private-surfaces")
    settings = app_settings(home, JURISGRAPH_AUTH_QUERY_RATE_LIMIT="100000/minute")
    app = create_app(settings)
    with serving(app) as url:
        container: Container = app.state.container
        signature = build_embedder(
            "local", model=container.settings.embedding.model, dim=container.settings.embedding.dim
        ).signature
        container.provide(embedder=QueryEmbedder(signature))
        keys, entities = {}, {}
        for owner in OWNERS:
            user_id, _, key = api_key(container, f"{owner}@example.org")
            keys[owner] = key
            entities[owner] = seed_workspace(container, owner, user_id)["entity_id"]
        yield Seeded(url, settings.home, container, keys, entities)


def visible(caller: str, owner: str) -> bool:
    return caller == owner


def test_the_openai_api_keeps_private_documents_private(seeded: Seeded) -> None:
    for owner in OWNERS:
        question = f"O que diz o parecer {LOOKUPS[owner]}?"
        for caller in OWNERS:
            llm = OpenAI(base_url=f"{seeded.url}/v1", api_key=seeded.keys[caller], max_retries=0)
            for model in MODELS:
                reply = llm.chat.completions.create(
                    model=model, messages=[{"role": "user", "content": question}]
                )
                text = reply.model_dump_json()
                if not visible(caller, owner):
                    assert SECRETS[owner] not in text, (owner, caller, model)
            chunks = llm.chat.completions.create(
                model="jurisgraph-naive", messages=[{"role": "user", "content": question}], stream=True
            )
            streamed = "".join(c.model_dump_json() for c in chunks)
            assert (SECRETS[owner] in streamed) == visible(caller, owner), (owner, caller)


async def _mcp_texts(client: Client, owner: str, entity: str) -> dict[str, str]:
    """What each reading tool gives about ``owner``'s records (errors included, as text)."""
    calls: dict[str, tuple[str, dict[str, Any]]] = {
        "search": ("search_jurisprudence", {"query": LOOKUPS[owner]}),
        "ask": ("ask", {"question": f"O que diz o parecer {LOOKUPS[owner]}?", "mode": "naive"}),
        "neighbourhood": ("entity_neighbourhood", {"entity": entity}),
        "by name": ("entity_neighbourhood", {"entity": LOOKUPS[owner]}),
    }
    found = {}
    for label, (name, arguments) in calls.items():
        result = await client.call_tool(name, arguments)
        found[label] = json.dumps(result.model_dump(mode="json"), ensure_ascii=False)
    return found


def _check(found: dict[str, dict[str, str]]) -> None:
    for (owner, caller), texts in ((k, v) for k, v in found.items()):
        for label, text in texts.items():
            if visible(caller, owner):
                assert SECRETS[owner] in text, (owner, caller, label, text[:300])
            else:
                assert SECRETS[owner] not in text, (owner, caller, label, text[:300])


def test_the_mcp_server_over_http_keeps_private_documents_private(seeded: Seeded) -> None:
    async def run() -> dict[Any, dict[str, str]]:
        found = {}
        for caller in OWNERS:
            async with connected(seeded.url, seeded.keys[caller]) as client:
                for owner in OWNERS:
                    found[owner, caller] = await _mcp_texts(client, owner, seeded.entities[owner])
        return found

    _check(asyncio.run(run()))


@pytest.mark.slow  # a subprocess per user
def test_the_mcp_server_over_stdio_keeps_private_documents_private(seeded: Seeded) -> None:
    async def run() -> dict[Any, dict[str, str]]:
        found = {}
        for caller in OWNERS:
            async with Client(command(seeded.home, "--user", f"{caller}@example.org")) as client:
                for owner in OWNERS:
                    found[owner, caller] = await _mcp_texts(client, owner, seeded.entities[owner])
        return found

    seeded.container.release_vector_index()  # the subprocess opens the embedded store
    try:
        _check(asyncio.run(run()))
    finally:
        seeded.container.release_vector_index()

"""Every read route of the OpenAPI schema, walked as anonymous, user A, user B and admin with public
read on and off, over a private workspace per user seeded with a distinctive record of every kind (a
document and its chunk, indexed; two entities and their relation; a community; a stored question and
its answer; an API key): no response carries another user's private data, and the owner (and admins)
do get it back, so the walk is not blind."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jurisgraph.auth import service as auth
from jurisgraph.db import session_scope
from jurisgraph.integrations.embeddings import build_embedder
from jurisgraph.models import Chunk, Community, Document, GraphEdge, GraphNode, Mention, RagQuery
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.stages import index as index_stage
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import private_workspace
from tests.auth.conftest import app_settings, running
from tests.fixtures.accounts import add_user, bearer, container_of
from tests.fixtures.sample import QueryEmbedder

#: one made-up word per owner, in every record of their workspace (and nowhere else), never sent
SECRETS = {"a": "xilografiaalfa", "b": "zimbrobetanico"}
#: the word a caller searches for to find an owner's records (requests may be echoed back)
LOOKUPS = {"a": "quiromanciaalfa", "b": "quiromanciabeta"}
OWNERS = tuple(SECRETS)
CALLERS = ("anonymous", "a", "b", "admin")
#: read routes that must give each owner their own record back (the walk reaches the seed)
MUST_REVEAL = {
    "/api/v1/documents",
    "/api/v1/documents/{document_id}",
    "/api/v1/graph/entities",
    "/api/v1/graph/entities/{entity_id}",
    "/api/v1/graph/entities/{entity_id}/neighbourhood",
    "/api/v1/graph/communities",
    "/api/v1/graph/communities/{community_id}",
    "/api/v1/graph/overview",
    "/api/v1/search",
    "/api/v1/passages",
    "/api/v1/queries",
    "/api/v1/queries/{query_id}",
    "/api/v1/keys",
}
OTHER_PATH_VALUES = {
    "slug": "x",
    "job_id": "x",
    "user_id": "1",
    "resource_id": "x",
    "model": "jurisgraph-auto",
}
SKIP = {"/openapi.json", "/health/live", "/health/ready", "/api/v1/ask/stream"}


@dataclass
class Seeded:
    client: TestClient
    headers: dict[str, dict[str, str]]
    values: dict[str, dict[str, str]]  # owner -> path and query values naming their records


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def seed_workspace(container: Container, owner: str, user_id: int) -> dict[str, str]:
    """The owner's distinctive records in their private workspace; the values that name them."""
    word, lookup = SECRETS[owner], LOOKUPS[owner]
    text = f"Parecer sigiloso {lookup}: o contrato {word} vincula as partes."
    with session_scope(container.sessions) as session:
        workspace = private_workspace(session, user_id)
        assert workspace is not None
        document = Document(
            workspace_id=workspace,
            key=f"upload:segredo-{owner}",
            kind="upload",
            user_id=user_id,
            filename=f"parecer-{word}.txt",
            title=f"Parecer {word}",
            text_content=text,
            content_hash=digest(text),
            status="indexed",
            chunk_count=1,
        )
        session.add(document)
        session.flush()
        document_id = document.id
        chunk_id = digest(f"chunk:{word}")[:40]
        session.add(
            Chunk(
                id=chunk_id,
                workspace_id=workspace,
                document_id=document.id,
                idx=0,
                start=0,
                end=len(text),
                text=text,
                content_hash=digest(text),
            )
        )
        entity, other = f"conceito:segredo_{owner}", f"conceito:segredo_{owner}_parte"
        for key, name in ((entity, f"Contrato {lookup} {word}"), (other, f"Parte {lookup} {word}")):
            session.add(
                GraphNode(
                    workspace_id=workspace,
                    entity_id=key,
                    name=name,
                    entity_type="CONCEITO_JURIDICO",
                    source="upload",
                    mention_count=50,
                    description=f"Descrição {word}",
                    community_id=f"c-segredo-{owner}",
                    community_level=0,
                )
            )
            session.add(
                Mention(
                    workspace_id=workspace,
                    document_id=document.id,
                    chunk_id=chunk_id,
                    target_kind="node",
                    target_id=key,
                    start=0,
                    end=len(text),
                )
            )
        session.add(
            GraphEdge(
                workspace_id=workspace,
                edge_id=digest(f"edge:{word}")[:40],
                source_entity_id=entity,
                target_entity_id=other,
                relationship_type="PARTE_EM",
                weight=9.0,
                mention_count=1,
                description=f"Relação {word}",
            )
        )
        session.add(
            Community(
                workspace_id=workspace,
                community_id=f"c-segredo-{owner}",
                level=0,
                title=f"Comunidade {word}",
                summary=f"Resumo {word}",
                full_report=f"Relatório {word}",
                entity_count=2,
                edge_count=1,
                rank=99.0,
            )
        )
        stored = RagQuery(
            user_id=user_id,
            workspace_ids=[workspace],
            query=f"O que diz o parecer {lookup} {word}?",
            query_type="naive",
            response=f"Resposta {word}",
        )
        session.add(stored)
        session.flush()
        query_id = stored.id
        key, _ = auth.create_key(session, user_id=user_id, name=f"chave {word}")
        session.flush()
        key_id = key.id
    index_stage.run(PipelineContext(container=container, workspace_id=workspace), dense=False)
    return {
        "document_id": str(document_id),
        "entity_id": entity,
        "community_id": f"c-segredo-{owner}",
        "query_id": str(query_id),
        "key_id": str(key_id),
        "owner_id": str(user_id),
        "q": lookup,
        "document": f"upload:segredo-{owner}",
        "start": "0",
        "end": str(len(text)),
    }


@pytest.fixture(params=["public-read", "closed"], scope="module")
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    home: Path = tmp_path_factory.mktemp("private-matrix")
    public = "true" if request.param == "public-read" else "false"
    settings = app_settings(
        home, JURISGRAPH_AUTH_PUBLIC_READ=public, JURISGRAPH_AUTH_QUERY_RATE_LIMIT="100000/minute"
    )
    with running(settings) as client:
        container = container_of(client)
        signature = build_embedder(
            "local", model=container.settings.embedding.model, dim=container.settings.embedding.dim
        ).signature
        container.provide(embedder=QueryEmbedder(signature))
        headers = {
            "anonymous": {},
            "a": bearer(container, "a@example.org", role="user"),
            "b": bearer(container, "b@example.org", role="user"),
            "admin": bearer(container, "root@example.org", role="admin"),
        }
        values = {
            owner: seed_workspace(container, owner, add_user(container, f"{owner}@example.org"))
            for owner in OWNERS
        }
        yield Seeded(client, headers, values)


def read_routes(client: TestClient) -> list[str]:
    schema: dict[str, Any] = client.get("/openapi.json").json()
    return sorted(p for p, ops in schema["paths"].items() if "get" in ops and p not in SKIP)


def test_no_read_route_gives_another_users_private_data(seeded: Seeded) -> None:
    revealed: dict[str, set[str]] = {owner: set() for owner in OWNERS}
    for path in read_routes(seeded.client):
        for owner in OWNERS:
            values = seeded.values[owner]
            url = path.format(**{**OTHER_PATH_VALUES, **values})
            params = {"q": values["q"], "document": values["document"], "start": "0", "end": values["end"]}
            for caller in CALLERS:
                response = seeded.client.get(url, params=params, headers=seeded.headers[caller])
                assert response.status_code < 500, (path, caller, response.text)
                shown = SECRETS[owner] in response.text
                if caller in (owner, "admin") or not shown:
                    if shown and caller == owner:
                        revealed[owner].add(path)
                    continue
                pytest.fail(f"{path} gave {owner}'s private data to {caller}: {response.text[:300]}")
    for owner in OWNERS:
        assert revealed[owner] >= MUST_REVEAL, (owner, sorted(MUST_REVEAL - revealed[owner]))


def test_no_question_reaches_another_users_private_data(seeded: Seeded) -> None:
    for owner in OWNERS:
        word, lookup = SECRETS[owner], LOOKUPS[owner]
        for caller in CALLERS:
            for mode in ("naive", "local", "global", "auto"):
                asked = seeded.client.post(
                    "/api/v1/ask",
                    json={"question": f"O que diz o parecer {lookup}?", "mode": mode},
                    headers=seeded.headers[caller],
                )
                assert asked.status_code in (200, 401), (caller, mode, asked.text)
                if caller not in (owner, "admin"):
                    assert word not in asked.text, (owner, caller, mode, asked.text[:300])
            streamed = seeded.client.get(
                "/api/v1/ask/stream", params={"q": f"parecer {lookup}"}, headers=seeded.headers[caller]
            )
            assert streamed.status_code in (200, 401)
            if caller not in (owner, "admin"):
                assert word not in streamed.text, (owner, caller)


def test_keys_of_another_user_are_listed_to_admins_only(seeded: Seeded) -> None:
    for owner in OWNERS:
        word = SECRETS[owner]
        for params in ({"user_id": seeded.values[owner]["owner_id"]}, {"all": "true"}):
            for caller in CALLERS:
                listed = seeded.client.get("/api/v1/keys", params=params, headers=seeded.headers[caller])
                if caller == "admin" or (caller == owner and "user_id" in params):
                    assert listed.status_code == 200 and word in listed.text, params
                else:
                    assert listed.status_code in (401, 403), (owner, caller, params, listed.text)
                    assert word not in listed.text

"""Nothing in a private workspace reaches another user or an anonymous caller: each user's workspace
holds a distinctive entity, and every graph read is made as anonymous, user A, user B and admin."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jurisgraph.db import session_scope
from jurisgraph.models import GraphNode
from jurisgraph.workspaces.service import private_workspace
from tests.fixtures.accounts import add_user, bearer, container_of

SECRETS = {"a": "Contrato sigiloso Alfa", "b": "Parecer reservado Beta"}


def seed(client: TestClient) -> dict[str, dict[str, str]]:
    """Users A and B, each with one entity in their private workspace; the callers' headers."""
    container = container_of(client)
    callers = {
        "anonymous": {},
        "a": bearer(container, "a@example.org", role="user"),
        "b": bearer(container, "b@example.org", role="user"),
        "admin": bearer(container, "root@example.org", role="admin"),
    }
    for who in ("a", "b"):
        user_id = add_user(container, f"{who}@example.org")
        with session_scope(container.sessions) as session:
            workspace = private_workspace(session, user_id)
            assert workspace is not None
            session.add(
                GraphNode(
                    workspace_id=workspace,
                    entity_id=f"conceito:segredo_{who}",
                    name=SECRETS[who],
                    entity_type="CONCEITO_JURIDICO",
                    source="upload",
                    mention_count=1,
                )
            )
    return callers


def test_each_private_entity_reaches_its_owner_and_admins_only(client: TestClient) -> None:
    callers = seed(client)
    readers = {"a": {"a", "admin"}, "b": {"b", "admin"}}
    for owner, name in SECRETS.items():
        entity = f"conceito:segredo_{owner}"
        for who, headers in callers.items():
            allowed = who in readers[owner]
            found = client.get("/api/v1/graph/entities", params={"q": name}, headers=headers)
            assert found.status_code == 200
            assert (name in found.text) == allowed, (owner, who)
            detail = client.get(f"/api/v1/graph/entities/{entity}", headers=headers)
            assert detail.status_code == (200 if allowed else 404), (owner, who)
            assert (name in detail.text) == allowed
            stats = client.get("/api/v1/graph/stats", headers=headers).json()
            visible = sum(1 for o in SECRETS if who in readers[o])
            assert stats.get("CONCEITO_JURIDICO", 0) == visible, (who, stats)

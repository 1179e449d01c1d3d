"""Private workspaces: one per user, readable by its owner (and admins) only; the audit trail shows
each user their own questions, an admin every one."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jurisgraph.auth import service
from jurisgraph.db import session_scope
from jurisgraph.workspaces.service import private_workspace, readable_workspaces
from tests.fixtures.accounts import add_user, bearer
from tests.fixtures.sample import Sample


def test_each_user_reads_the_public_corpus_and_only_their_own_private_workspace(sample: Sample) -> None:
    ana = add_user(sample.container, "ana.ws@example.org")
    bia = add_user(sample.container, "bia.ws@example.org")
    with session_scope(sample.container.sessions) as session:
        own_a, own_b = private_workspace(session, ana), private_workspace(session, bia)
        assert own_a is not None and own_b is not None and own_a != own_b
        slugs = dict(sample.rows("select id, slug from workspaces where id in (:a, :b)", a=own_a, b=own_b))
        assert slugs == {own_a: f"user-{ana}", own_b: f"user-{bia}"}
        assert readable_workspaces(session) == [sample.workspace]
        assert readable_workspaces(session, user_id=ana) == [sample.workspace, own_a]
        assert readable_workspaces(session, user_id=bia) == [sample.workspace, own_b]
        assert readable_workspaces(session, user_id=ana, public=False) == [own_a]
        assert {sample.workspace, own_a, own_b} <= set(readable_workspaces(session, every=True))


def test_users_see_only_their_own_stored_questions(
    sample_api: TestClient, sample: Sample, sample_admin: dict[str, str]
) -> None:
    ana = bearer(sample.container, "ana.audit@example.org", role="user")
    bia = bearer(sample.container, "bia.audit@example.org", role="user")
    asked_a = sample_api.post("/api/v1/ask", json={"question": "Qual a tese do Tema 1.076?"}, headers=ana)
    asked_b = sample_api.post("/api/v1/ask", json={"question": "Quem relatou o Tema 1.076?"}, headers=bia)
    anonymous = sample_api.post("/api/v1/ask", json={"question": "O que diz a Súmula 7?"})
    ids = {name: r.json()["id"] for name, r in (("a", asked_a), ("b", asked_b), ("anon", anonymous))}

    seen_a = {
        row["id"] for row in sample_api.get("/api/v1/queries", params={"limit": 500}, headers=ana).json()
    }
    seen_b = {
        row["id"] for row in sample_api.get("/api/v1/queries", params={"limit": 500}, headers=bia).json()
    }
    assert seen_a == {ids["a"]} and seen_b == {ids["b"]}
    assert sample_api.get(f"/api/v1/queries/{ids['a']}", headers=ana).status_code == 200
    assert sample_api.get(f"/api/v1/queries/{ids['b']}", headers=ana).status_code == 404
    assert sample_api.get(f"/api/v1/queries/{ids['anon']}", headers=bia).status_code == 404
    assert sample_api.get(f"/api/v1/queries/{ids['b']}", headers=sample_admin).status_code == 200
    every = sample_api.get("/api/v1/queries", params={"limit": 500}, headers=sample_admin).json()
    assert set(ids.values()) <= {row["id"] for row in every}

    user_a = add_user(sample.container, "ana.audit@example.org")
    stored = dict(
        sample.rows("select id, user_id from rag_queries where id in (:a, :n)", a=ids["a"], n=ids["anon"])
    )
    assert stored == {ids["a"]: user_a, ids["anon"]: None}
    with session_scope(sample.container.sessions) as session:
        own = private_workspace(session, user_a)
    recorded = {row["id"]: row["workspace_ids"] for row in every}
    assert recorded[ids["a"]] == [sample.workspace, own]
    assert recorded[ids["anon"]] == [sample.workspace]


def test_an_oidc_sign_in_creates_the_user_once_and_matches_it_by_open_id(sample: Sample) -> None:
    identity = service.OidcIdentity(
        open_id="https://idp.example|abc-123", email="Carla@Example.org", name="Carla"
    )
    with session_scope(sample.container.sessions) as session:
        first = service.sign_in_oidc(session, identity)
        user_id = first.id
        assert (first.email, first.role, first.password_hash, first.login_method) == (
            "carla@example.org",
            "user",
            None,
            "oidc",
        )
        assert private_workspace(session, user_id) is not None
        token = service.session_token(first, sample.container.settings.auth)
    renamed = service.OidcIdentity(open_id=identity.open_id, email="carla.new@example.org")
    with session_scope(sample.container.sessions) as session:
        assert service.sign_in_oidc(session, renamed).id == user_id
        principal = service.principal_for_token(
            session, token, secret=sample.container.settings.auth.jwt_secret.get_secret_value(), via="cookie"
        )
        assert (principal.user_id, principal.role, principal.via) == (user_id, "user", "cookie")


def test_a_question_asked_on_the_page_records_the_caller(
    sample_api: TestClient, sample: Sample, sample_user: dict[str, str]
) -> None:
    question = "Qual a tese do Tema 1.076 segundo a página?"
    page = sample_api.get("/perguntar", params={"q": question}, headers=sample_user)
    assert page.status_code == 200
    user_id = sample_api.get("/api/v1/auth/me", headers=sample_user).json()["id"]
    assert sample.rows("select user_id from rag_queries where query = :q", q=question) == [(user_id,)]

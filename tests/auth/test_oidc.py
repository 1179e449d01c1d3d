"""OpenID Connect sign-in against a real provider on 127.0.0.1: Authlib's client fetches the
discovery document, JWKS and tokens over HTTP; users are matched by their subject."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from jurisgraph.auth import service
from jurisgraph.db import session_scope
from jurisgraph.models import User
from tests.auth.conftest import app_settings, running
from tests.fakes.oidc_provider import CLIENT_ID, CLIENT_SECRET, Account, OidcProvider
from tests.fixtures.accounts import container_of, error_code

CALLBACK = "http://testserver/api/v1/auth/oidc/callback"


@pytest.fixture
def provider() -> Iterator[OidcProvider]:
    with OidcProvider() as started:
        started.allow_redirect(CALLBACK)
        yield started


@pytest.fixture
def client(tmp_path: Path, provider: OidcProvider) -> Iterator[TestClient]:
    settings = app_settings(
        tmp_path / "home",
        JURISGRAPH_AUTH_OIDC_ISSUER=provider.url,
        JURISGRAPH_AUTH_OIDC_CLIENT_ID=CLIENT_ID,
        JURISGRAPH_AUTH_OIDC_CLIENT_SECRET=CLIENT_SECRET,
    )
    with running(settings) as started:
        started.follow_redirects = False
        yield started


def sign_in(client: TestClient, next_path: str = "/consulta") -> httpx.Response:
    """The whole browser round trip: our redirect, the issuer's, then our callback's reply."""
    start = client.get("/api/v1/auth/oidc/login", params={"next": next_path})
    assert start.status_code == 302, start.text
    at_issuer = httpx.get(start.headers["location"])
    assert at_issuer.status_code == 302, at_issuer.text
    back = urlsplit(at_issuer.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    return client.get(f"{back.path}?{back.query}")


def users(client: TestClient) -> list[User]:
    with session_scope(container_of(client).sessions) as session:
        found = service.list_users(session, limit=100)
        session.expunge_all()
        return found


def test_a_new_identity_signs_in_and_gets_an_account(client: TestClient, provider: OidcProvider) -> None:
    reply = sign_in(client, "/consulta?x=1")
    assert reply.status_code == 303 and reply.headers["location"] == "/consulta?x=1"
    me = client.get("/api/v1/auth/me")
    assert me.status_code == 200, me.text
    assert me.json()["email"] == "ana@example.org" and me.json()["role"] == "user"
    (user,) = [u for u in users(client) if u.email == "ana@example.org"]
    assert user.open_id == provider.account.sub and user.login_method == "oidc"
    authorize = parse_qs(urlsplit(provider.requests("authorize")[0].path).query)
    assert authorize["code_challenge_method"] == ["S256"] and authorize["nonce"][0]


def test_the_same_subject_is_the_same_user_whatever_its_email(
    client: TestClient, provider: OidcProvider
) -> None:
    sign_in(client)
    first = client.get("/api/v1/auth/me").json()["id"]
    client.cookies.clear()
    provider.account = Account(sub=provider.account.sub, email="ana.nova@example.org", name="Ana S.")
    assert sign_in(client).status_code == 303
    assert client.get("/api/v1/auth/me").json()["id"] == first
    assert len([u for u in users(client) if u.login_method == "oidc"]) == 1


def test_a_disabled_account_is_refused(client: TestClient) -> None:
    sign_in(client)
    user_id = client.get("/api/v1/auth/me").json()["id"]
    with session_scope(container_of(client).sessions) as session:
        service.update_user(session, user_id, is_active=False, role=None)
    client.cookies.clear()
    reply = sign_in(client)
    assert reply.status_code == 303 and reply.headers["location"].startswith("/login?erro=sso")
    assert "jurisgraph_session" not in client.cookies


def test_an_unverified_email_creates_no_account(client: TestClient, provider: OidcProvider) -> None:
    provider.account = Account(sub="other-subject", email="eve@example.org", name="Eve", email_verified=False)
    reply = sign_in(client)
    assert reply.headers["location"].startswith("/login?erro=sso")
    assert not [u for u in users(client) if u.email == "eve@example.org"]


def test_a_forged_state_or_a_replayed_code_signs_nobody_in(client: TestClient) -> None:
    start = client.get("/api/v1/auth/oidc/login")
    callback = urlsplit(httpx.get(start.headers["location"]).headers["location"])
    params = parse_qs(callback.query)
    forged = client.get(callback.path, params={"code": params["code"][0], "state": "forged"})
    assert forged.headers["location"].startswith("/login?erro=sso")
    assert "jurisgraph_session" not in client.cookies
    stranger = TestClient(client.app, follow_redirects=False)
    replay = stranger.get(f"{callback.path}?{callback.query}")
    assert replay.headers["location"].startswith("/login?erro=sso")
    assert "jurisgraph_session" not in stranger.cookies


def test_a_wrong_client_secret_fails_at_the_token_endpoint(
    client: TestClient, provider: OidcProvider
) -> None:
    provider.client_secret = "rotated-at-the-issuer"
    reply = sign_in(client)
    assert reply.headers["location"].startswith("/login?erro=sso")
    assert provider.requests("token") and "jurisgraph_session" not in client.cookies


@pytest.mark.parametrize("forgery", ["audience", "nonce", "key"])
def test_an_id_token_that_does_not_verify_signs_nobody_in(
    client: TestClient, provider: OidcProvider, monkeypatch: pytest.MonkeyPatch, forgery: str
) -> None:
    genuine = provider.id_token
    stranger_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def forged(account: Account, *, nonce: str | None, audience: str | None = None) -> str:
        if forgery == "audience":
            return genuine(account, nonce=nonce, audience="another-client")
        if forgery == "nonce":
            return genuine(account, nonce="replayed-nonce")
        token = genuine(account, nonce=nonce)  # the same claims and key id, another key's signature
        claims = jwt.decode(token, options={"verify_signature": False})
        return jwt.encode(claims, stranger_key, algorithm="RS256", headers=jwt.get_unverified_header(token))

    monkeypatch.setattr(provider, "id_token", forged)
    reply = sign_in(client)
    assert reply.status_code == 303 and reply.headers["location"].startswith("/login?erro=sso")
    assert "jurisgraph_session" not in client.cookies


def test_an_issuer_that_went_away_is_an_error_page_not_a_500(
    client: TestClient, provider: OidcProvider
) -> None:
    start = client.get("/api/v1/auth/oidc/login")
    callback = urlsplit(httpx.get(start.headers["location"]).headers["location"])
    provider.stop()
    reply = client.get(f"{callback.path}?{callback.query}")
    assert reply.status_code == 303 and reply.headers["location"].startswith("/login?erro=sso")


def test_an_issuer_down_at_the_start_is_an_error_page(tmp_path: Path) -> None:
    with OidcProvider() as gone:
        issuer = gone.url
    settings = app_settings(
        tmp_path / "down",
        JURISGRAPH_AUTH_OIDC_ISSUER=issuer,
        JURISGRAPH_AUTH_OIDC_CLIENT_ID=CLIENT_ID,
        JURISGRAPH_AUTH_OIDC_CLIENT_SECRET=CLIENT_SECRET,
    )
    with running(settings) as client:
        reply = client.get("/api/v1/auth/oidc/login", params={"next": "/grafo"}, follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/login?erro=sso&next=/grafo"


def test_next_never_leaves_the_site(client: TestClient) -> None:
    assert sign_in(client, "https://evil.example/").headers["location"] == "/"


def test_without_an_issuer_the_routes_are_404(tmp_path: Path) -> None:
    with running(app_settings(tmp_path / "plain")) as client:
        reply = client.get("/api/v1/auth/oidc/login", follow_redirects=False)
    assert reply.status_code == 404 and error_code(reply) == "oidc_not_configured"

"""The account pages without a browser: sign-in (errors, lockout, ``next`` kept local, OIDC button),
the header, sign-in redirects of pages that need a user, the 403 page, sign-out by form, the
Conjuntos de dados actions only for admins, and the history of one's own questions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from jurisgraph.config import Settings
from jurisgraph.db import session_scope
from jurisgraph.models import RagQuery
from tests.auth.conftest import app_settings, running
from tests.fixtures.accounts import ADMIN_EMAIL, PASSWORD, USER_EMAIL, add_user, container_of, login

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return app_settings(tmp_path / "home")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with running(settings) as started:
        started.follow_redirects = False
        add_user(container_of(started), ADMIN_EMAIL, role="admin")
        add_user(container_of(started), USER_EMAIL, role="user")
        yield started


def form_login(client: TestClient, email: str, password: str = PASSWORD, next: str = "/") -> str:
    """Sign in through the HTML form; the address it redirects to."""
    response = client.post("/api/v1/auth/login", data={"email": email, "password": password, "next": next})
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    return location


def next_of(location: str) -> str:
    """The ``next`` parameter of a /login address."""
    parts = urlsplit(location)
    assert parts.path == "/login", location
    return parse_qs(parts.query)["next"][0]


def test_login_page_form_and_errors(client: TestClient) -> None:
    html = client.get("/login", params={"next": "/grafo?entidade=tema:1076"}).text
    assert 'action="/api/v1/auth/login"' in html and 'name="password"' in html
    assert 'name="next" value="/grafo?entidade=tema:1076"' in html
    assert "E-mail ou senha incorretos" not in html and 'id="oidc-login"' not in html
    assert "E-mail ou senha incorretos" in client.get("/login", params={"erro": "1"}).text
    locked = client.get("/login", params={"erro": "bloqueado", "espera": 900}).text
    assert "bloqueado" in locked and "15 min" in locked


def test_next_is_only_a_local_path(client: TestClient) -> None:
    evils = ("//evil.example/x", "https://evil.example/", "/\\evil.example")
    for evil in evils:
        assert 'name="next" value="/"' in client.get("/login", params={"next": evil}).text
    for evil in evils:
        assert form_login(client, USER_EMAIL, next=evil) == "/"
        client.cookies.clear()


def test_wrong_password_comes_back_with_the_error_then_sign_in_goes_to_next(client: TestClient) -> None:
    location = form_login(client, USER_EMAIL, "wrong password!", next="/conta")
    assert urlsplit(location).path == "/login" and "erro=1" in location and next_of(location) == "/conta"
    assert "E-mail ou senha incorretos" in client.get(location).text
    assert form_login(client, USER_EMAIL, next="/conta") == "/conta"
    assert client.get("/conta").status_code == 200
    # a signed-in user visiting /login goes on to next
    response = client.get("/login", params={"next": "/grafo"})
    assert response.status_code == 303 and response.headers["location"] == "/grafo"


def test_lockout_shows_the_wait(client: TestClient) -> None:
    location = ""
    for _ in range(12):
        location = form_login(client, USER_EMAIL, "wrong password!", next="/consulta")
        if "bloqueado" in location:
            break
    query = parse_qs(urlsplit(location).query)
    assert query["erro"] == ["bloqueado"] and int(query["espera"][0]) > 0 and query["next"] == ["/consulta"]
    assert "Tente de novo em" in client.get(location).text


def test_oidc_button_only_when_enabled(client: TestClient) -> None:
    auth = container_of(client).settings.auth
    assert not auth.oidc_enabled and 'id="oidc-login"' not in client.get("/login").text
    auth.oidc_issuer = "https://sso.tests.example/realms/stj"
    auth.oidc_client_id = "jurisgraph"
    auth.oidc_label = "Entrar com o Keycloak da casa"
    html = client.get("/login", params={"next": "/consulta"}).text
    assert 'href="/api/v1/auth/oidc/login?next=/consulta"' in html and "Entrar com o Keycloak da casa" in html
    failed = client.get("/login", params={"erro": "sso", "next": "/consulta"}).text
    assert "provedor de identidade" in failed


def test_header_shows_the_user_and_admin_link_only_to_admins(client: TestClient) -> None:
    anonymous = client.get("/grafo").text
    assert 'id="sign-in"' in anonymous and 'id="logout"' not in anonymous
    assert 'id="nav-admin"' not in anonymous
    form_login(client, USER_EMAIL)
    html = client.get("/grafo").text
    assert USER_EMAIL in html and "usuário" in html and 'href="/conta"' in html and 'id="logout"' in html
    assert 'id="nav-admin"' not in html and 'id="sign-in"' not in html
    forbidden = client.get("/admin")
    assert forbidden.status_code == 403 and "Acesso negado" in forbidden.text
    assert 'id="nav-admin"' not in forbidden.text
    client.cookies.clear()
    form_login(client, ADMIN_EMAIL)
    admin = client.get("/admin")
    assert admin.status_code == 200 and 'id="nav-admin"' in admin.text and "administrador" in admin.text


def test_pages_needing_a_user_send_anonymous_visitors_to_sign_in(client: TestClient) -> None:
    # what the API gives only to users (stats, datasets, logs) and one's account and the admin page
    for path in ("/conta", "/admin", "/", "/datasets", "/registros?estado=failed", "/parcial/atividade"):
        response = client.get(path)
        assert response.status_code == 303 and next_of(response.headers["location"]) == path
    # a fragment a page refreshes (htmx) sends the whole page to sign-in
    fragment = client.get(
        "/parcial/atividade", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/?x=1"}
    )
    assert fragment.status_code == 401 and next_of(fragment.headers["hx-redirect"]) == "/?x=1"
    # reading the public corpus stays open while public read is on (the default)
    for path in ("/consulta", "/busca", "/grafo", "/comunidades", "/perguntar"):
        assert client.get(path).status_code == 200, path
    form_login(client, USER_EMAIL)
    for path in ("/conta", "/", "/datasets", "/registros"):
        assert client.get(path).status_code == 200, path


def test_without_public_read_every_page_needs_a_user(tmp_path: Path) -> None:
    settings = app_settings(tmp_path / "closed", JURISGRAPH_AUTH_PUBLIC_READ="false")
    with running(settings) as client:
        client.follow_redirects = False
        add_user(container_of(client), USER_EMAIL)
        for path in ("/", "/consulta", "/grafo?entidade=tema:1076", "/registros", "/datasets"):
            response = client.get(path)
            assert response.status_code == 303, path
            assert next_of(response.headers["location"]) == path
        assert client.get("/login").status_code == 200
        form_login(client, USER_EMAIL)
        assert client.get("/grafo?entidade=tema:1076").status_code == 200


def test_sign_out_form_needs_csrf_then_goes_to_login(client: TestClient) -> None:
    form_login(client, USER_EMAIL)
    html = client.get("/conta").text
    csrf = client.cookies.get("jurisgraph_csrf")
    assert csrf and f'name="csrf_token" value="{csrf}"' in html
    assert client.post("/api/v1/auth/logout", data={"csrf_token": "nope"}).status_code == 403
    response = client.post("/api/v1/auth/logout", data={"csrf_token": csrf})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/conta").status_code == 303


def test_dataset_actions_only_for_admins(client: TestClient) -> None:
    form_login(client, USER_EMAIL)
    html = client.get("/datasets").text
    assert 'id="ingest-sample"' not in html and "datasets.js" not in html
    client.cookies.clear()
    form_login(client, ADMIN_EMAIL)
    html = client.get("/datasets").text
    assert 'id="ingest-sample"' in html and "datasets.js" in html


def test_history_of_an_admin_is_their_own_with_mine(client: TestClient) -> None:
    container = container_of(client)
    admin = add_user(container, ADMIN_EMAIL, role="admin")
    user = add_user(container, USER_EMAIL)
    with session_scope(container.sessions) as session:
        session.add(RagQuery(user_id=admin, query="pergunta do admin", query_type="naive"))
        session.add(RagQuery(user_id=user, query="pergunta do usuário", query_type="naive"))
    login(client, ADMIN_EMAIL)
    every = {row["query"] for row in client.get("/api/v1/queries").json()}
    assert every == {"pergunta do admin", "pergunta do usuário"}
    mine = {row["query"] for row in client.get("/api/v1/queries", params={"mine": "true"}).json()}
    assert mine == {"pergunta do admin"}
    client.cookies.clear()
    login(client, USER_EMAIL)
    assert {row["query"] for row in client.get("/api/v1/queries", params={"mine": "false"}).json()} == {
        "pergunta do usuário"
    }

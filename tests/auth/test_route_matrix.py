"""Every route of the OpenAPI schema, walked as an anonymous caller, a user and an admin, with public
read off and on: a route that is not classified here fails the test, so no new route is left open by
accident. (``test_private_matrix`` walks the read routes over users' private records.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.auth.conftest import app_settings, running
from tests.fixtures.accounts import PASSWORD, add_user, bearer, container_of

OPEN = "open"  # anyone, signed in or not
CORPUS = "corpus"  # a user (anonymous callers too while public read is on)
USER = "user"  # a signed-in user
ADMIN = "admin"  # an admin
ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/health/live"): OPEN,
    ("GET", "/health/ready"): OPEN,
    ("POST", "/api/v1/auth/login"): OPEN,
    ("GET", "/api/v1/auth/oidc/login"): OPEN,
    ("GET", "/api/v1/auth/oidc/callback"): OPEN,
    ("POST", "/api/v1/auth/logout"): USER,
    ("GET", "/api/v1/auth/me"): USER,
    ("POST", "/api/v1/auth/password"): USER,
    ("GET", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/users"): ADMIN,
    ("PATCH", "/api/v1/users/{user_id}"): ADMIN,
    ("POST", "/api/v1/users/{user_id}/reset-password"): ADMIN,
    ("GET", "/api/v1/keys"): USER,
    ("POST", "/api/v1/keys"): USER,
    ("DELETE", "/api/v1/keys/{key_id}"): USER,
    ("GET", "/api/v1/datasets"): USER,
    ("GET", "/api/v1/datasets/{slug}/resources"): USER,
    ("GET", "/api/v1/extraction-logs"): USER,
    ("POST", "/api/v1/ingest"): ADMIN,
    ("GET", "/api/v1/jobs/{job_id}"): ADMIN,
    ("GET", "/api/v1/graph/entities"): CORPUS,
    ("GET", "/api/v1/graph/entities/{entity_id}/neighbourhood"): CORPUS,
    ("GET", "/api/v1/graph/entities/{entity_id}"): CORPUS,
    ("GET", "/api/v1/graph/communities"): CORPUS,
    ("GET", "/api/v1/graph/communities/{community_id}"): CORPUS,
    ("GET", "/api/v1/graph/stats"): CORPUS,
    ("POST", "/api/v1/graph/query"): CORPUS,
    ("GET", "/api/v1/search"): CORPUS,
    ("POST", "/api/v1/ask"): CORPUS,
    ("GET", "/api/v1/ask/stream"): CORPUS,
    ("GET", "/api/v1/queries"): CORPUS,  # anonymous callers (no history) get [] while public read is on
    ("GET", "/api/v1/queries/export"): ADMIN,
    ("GET", "/api/v1/queries/{query_id}"): USER,
    ("GET", "/api/v1/passages"): CORPUS,
    ("GET", "/api/v1/graph/stats/edges"): CORPUS,
    ("GET", "/api/v1/graph/overview"): CORPUS,
    ("POST", "/api/v1/communities/build"): ADMIN,
    ("GET", "/api/v1/vectors/stats"): ADMIN,
    ("GET", "/api/v1/stats"): USER,
    ("GET", "/api/v1/jobs"): ADMIN,
    ("POST", "/api/v1/jobs/{job_id}/retry"): ADMIN,
    ("POST", "/api/v1/jobs/{job_id}/cancel"): ADMIN,
    ("POST", "/api/v1/datasets/sync"): ADMIN,
    ("POST", "/api/v1/resources/{resource_id}/download"): ADMIN,
    ("POST", "/api/v1/resources/{resource_id}/process"): ADMIN,
    ("POST", "/api/v1/documents"): USER,
    ("GET", "/api/v1/documents"): USER,
    ("GET", "/api/v1/documents/{document_id}"): USER,
    ("POST", "/api/v1/documents/{document_id}/reprocess"): USER,
    ("DELETE", "/api/v1/documents/{document_id}"): USER,
    # the OpenAI-compatible API: API keys (or session tokens) only, whatever public read says
    ("GET", "/v1/models"): USER,
    ("GET", "/v1/models/{model}"): USER,
    ("POST", "/v1/chat/completions"): USER,
}
PATH_VALUES = {
    "user_id": "1",
    "key_id": "1",
    "slug": "x",
    "job_id": "x",
    "entity_id": "tema:1",
    "community_id": "x",
    "query_id": "1",
    "resource_id": "x",
    "document_id": "1",
    "model": "jurisgraph-auto",
}
QUERY = {"q": "tema", "document": "tema:1", "start": "0", "end": "10"}
BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/auth/login": {"email": "matrix.user@example.org", "password": PASSWORD},
    "/api/v1/auth/password": {"current_password": "wrong", "new_password": "another password"},
    "/api/v1/users": {"email": "new@example.org", "password": "password-1234"},
    "/api/v1/users/{user_id}": {"role": "user"},
    "/api/v1/users/{user_id}/reset-password": {},
    "/api/v1/keys": {"name": "k"},
    "/api/v1/ingest": {"dataset": "no-such-dataset"},
    "/api/v1/graph/query": {"question": "quantos temas o Min. Sérgio Kukina relatou"},
    "/api/v1/ask": {"question": "Qual a tese do Tema 1.076?"},
    "/v1/chat/completions": {
        "model": "jurisgraph-auto",
        "messages": [{"role": "user", "content": "Qual a tese do Tema 1.076?"}],
    },
}
EXPECTED = {
    # class: (anonymous, user, admin); None = any status but 401 and 403
    OPEN: (None, None, None),
    CORPUS: (401, None, None),
    USER: (401, None, None),
    ADMIN: (401, 403, None),
}
#: with public read on, anonymous callers read the corpus too
EXPECTED_PUBLIC = {**EXPECTED, CORPUS: (None, None, None)}


@pytest.fixture(scope="module", params=["closed", "public-read"])
def closed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    home: Path = tmp_path_factory.mktemp("matrix")
    public = "true" if request.param == "public-read" else "false"
    settings = app_settings(home, JURISGRAPH_AUTH_PUBLIC_READ=public)
    mirror = home / "empty-mirror"  # the admin's sync job ends at once instead of retrying a portal
    mirror.mkdir()
    (mirror / "catalog.json").write_text(json.dumps({"packages": []}), encoding="utf-8")
    settings.portal.url = str(mirror)
    with running(settings) as client:
        add_user(container_of(client), "matrix.user@example.org", role="user")
        yield client


def test_every_route_is_classified(closed: TestClient) -> None:
    schema = closed.get("/openapi.json").json()
    routes = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert routes == set(ROUTES)


@pytest.mark.parametrize(("method", "path"), sorted(ROUTES))
def test_each_route_answers_each_kind_of_caller_as_classified(
    closed: TestClient, method: str, path: str
) -> None:
    container = container_of(closed)
    callers = {
        "anonymous": lambda: {},
        "user": lambda: bearer(container, "matrix.user@example.org", role="user"),
        "admin": lambda: bearer(container, "matrix.admin@example.org", role="admin"),
    }
    url = path.format(**PATH_VALUES)
    table = EXPECTED_PUBLIC if container.settings.public_read else EXPECTED
    for (who, headers), expected in zip(callers.items(), table[ROUTES[(method, path)]], strict=True):
        response = TestClient(closed.app).request(  # no cookies from an earlier sign-in
            method, url, params=QUERY, json=BODIES.get(path) if method != "GET" else None, headers=headers()
        )
        assert response.status_code < 500, (who, response.text)
        if expected is None:
            assert response.status_code not in (401, 403), (who, response.status_code, response.text)
        else:
            assert response.status_code == expected, (who, response.status_code, response.text)

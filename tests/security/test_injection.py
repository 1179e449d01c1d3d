"""Hostile input everywhere a user can put it: markup in stored records and in every page's query
parameters is rendered escaped; SQL in every text parameter of the API is data, never a statement
(no 5xx, the tables intact); an uploaded file's name never becomes a path."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlalchemy import func, select

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.db import session_scope
from jurisgraph.models import Community, Document, ExtractionLog, GraphNode, Job, RagQuery, User
from jurisgraph.workspaces.service import private_workspace
from tests.fixtures.accounts import ADMIN_EMAIL, add_user, sign_in
from tests.fixtures.homes import make_settings

MARKUP = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SQL = ("' OR '1'='1", "1; DROP TABLE users; --", '") UNION SELECT password_hash FROM users --')
PAGES = (
    "/",
    "/parcial/atividade",
    "/datasets",
    "/consulta",
    "/grafo",
    "/comunidades",
    "/busca",
    "/perguntar",
    "/registros",
    "/conta",
    "/admin",
    "/documentos",
    "/documentos/{document_id}",
)
PARAMS = ("q", "entidade", "tipo", "estado", "acao", "dataset", "modo", "pagina", "nivel", "next", "erro")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, int]]:
    """An admin's client on a home whose records carry MARKUP in every stored text a page shows;
    the id of the admin's uploaded document."""
    settings = make_settings(tmp_path_factory.mktemp("security") / "home")
    settings.app.log_level = "WARNING"
    settings.pipeline.embed_on_start = False
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings)) as client:
        container: Any = client.app.state.container  # type: ignore[attr-defined]
        sign_in(client, ADMIN_EMAIL)
        owner = add_user(container, ADMIN_EMAIL, role="admin")
        with session_scope(container.sessions) as session:
            workspace = private_workspace(session, owner)
            assert workspace is not None
            document = Document(
                workspace_id=workspace,
                key="upload:hostil",
                kind="upload",
                user_id=owner,
                title=MARKUP,
                filename=f"{MARKUP}.txt",
                original_name=MARKUP,
                text_content=f"Parecer {MARKUP}",
                content_hash=digest(MARKUP),
                status="error",
                error_message=MARKUP,
                metadata_={"pages": [{"number": 1, "start": 0, "end": 20}], "page_count": 1},
            )
            session.add(document)
            session.add(
                GraphNode(
                    workspace_id=workspace,
                    entity_id="conceito:hostil",
                    name=MARKUP,
                    entity_type="CONCEITO_JURIDICO",
                    source="upload",
                    mention_count=5,
                    description=MARKUP,
                    community_id="c-hostil",
                    community_level=0,
                )
            )
            session.add(
                Community(
                    workspace_id=workspace,
                    community_id="c-hostil",
                    level=0,
                    title=MARKUP,
                    summary=MARKUP,
                    full_report=MARKUP,
                    entity_count=1,
                    edge_count=0,
                    rank=99.0,
                )
            )
            session.add(
                RagQuery(
                    user_id=owner,
                    workspace_ids=[workspace],
                    query=MARKUP,
                    query_type="naive",
                    response=MARKUP,
                )
            )
            session.add(
                ExtractionLog(action="process_json", status="failed", details=MARKUP, error_message=MARKUP)
            )
            session.add(
                Job(id="job-hostil", kind="sync", status="failed", payload={"resource": MARKUP}, error=MARKUP)
            )
            session.flush()
            document_id = document.id
        yield client, document_id


def assert_escaped(html: str, where: str) -> None:
    """MARKUP appears only as text: no script of it runs, no element carries its handler."""
    assert MARKUP not in html, where
    tree = HTMLParser(html)
    assert not [s for s in tree.css("script") if "alert" in (s.text() or "")], where
    assert not [n for n in tree.css("[onerror]")], where
    assert not [n for n in tree.css('img[src="x"]')], where


def test_stored_and_echoed_markup_is_escaped_on_every_page(client: tuple[TestClient, int]) -> None:
    http, document_id = client
    shown = 0
    for page in PAGES:
        path = page.format(document_id=document_id)
        for params in ({}, {name: MARKUP for name in PARAMS}):
            answer = http.get(path, params=params)
            assert answer.status_code < 500, (path, params, answer.text[:300])
            assert_escaped(answer.text, f"{path} {params}")
            shown += "&lt;script&gt;" in answer.text
    assert shown >= 5  # the stored markup is on the pages, as text


def string_parameters(http: TestClient) -> list[tuple[str, list[str], list[str]]]:
    """(path, path parameters, string query parameters) of every GET route of the API."""
    schema: dict[str, Any] = http.get("/openapi.json").json()
    found = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        in_path = [p["name"] for p in get.get("parameters", []) if p["in"] == "path"]
        in_query = [
            p["name"]
            for p in get.get("parameters", [])
            if p["in"] == "query" and "string" in str(p.get("schema", {}))
        ]
        found.append((path, in_path, in_query))
    return found


def test_sql_in_every_text_parameter_is_only_data(client: tuple[TestClient, int]) -> None:
    http, _ = client
    container: Any = http.app.state.container  # type: ignore[attr-defined]
    with session_scope(container.sessions) as session:
        users = session.scalar(select(func.count()).select_from(User))
    routes = string_parameters(http)
    assert len(routes) > 20
    for path, in_path, in_query in routes:
        for payload in SQL:
            url = path.format(**{name: payload for name in in_path})
            answer = http.get(url, params={name: payload for name in in_query})
            assert answer.status_code < 500, (url, answer.text[:300])
    with session_scope(container.sessions) as session:
        assert session.scalar(select(func.count()).select_from(User)) == users


def test_an_uploaded_file_name_never_becomes_a_path(client: tuple[TestClient, int], tmp_path: Path) -> None:
    http, _ = client
    target = tmp_path / "escaped.txt"
    names = (f"../../../../../../..{target}", "..\\..\\..\\evil.txt", "/etc/passwd")
    for n, name in enumerate(names):
        body = f"Conforme a Súmula 7/STJ, peça {n} com nome hostil.".encode()
        answer = http.post("/api/v1/documents", files=[("files", (name, body, "text/plain"))])
        assert answer.status_code == 201, answer.text
        row = answer.json()[0]
        assert (
            "/" not in row["filename"] and "\\" not in row["filename"] and not row["filename"].startswith(".")
        )
    assert not target.exists()
    container: Any = http.app.state.container  # type: ignore[attr-defined]
    stored = list(container.storage().keys())
    assert stored and all(key.startswith("sha256/") for key in stored)

"""Server-rendered pages without a browser: Registros (filters, pages, only http(s) links), the
Painel's activity fragment, the old /logs address, the page helpers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.db import session_scope
from jurisgraph.models import ExtractionLog
from jurisgraph.web.filters import filesize, http_url, log_details
from jurisgraph.web.pages import LOG_PAGE
from tests.fixtures.accounts import USER_EMAIL, sign_in
from tests.fixtures.homes import make_settings

EVIL = "javascript:alert(document.cookie)"
GOOD = "https://dadosabertos.web.stj.jus.br/dataset/x.json"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app on an empty home with 2 pages of pipeline actions (one carrying two source URLs)."""
    settings = make_settings(tmp_path / "home")
    settings.app.log_level = "WARNING"
    settings.pipeline.embed_on_start = False
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings)) as client:
        sign_in(client, USER_EMAIL, role="user")  # Registros and the Painel are for signed-in users
        with session_scope(client.app.state.container.sessions) as session:  # type: ignore[attr-defined]
            for i in range(LOG_PAGE + 5):
                session.add(
                    ExtractionLog(
                        action="download_resource" if i % 2 else "process_json",
                        status="failed" if i == 3 else "completed",
                        dataset_slug="precedentes-qualificados" if i % 3 == 0 else "outro",
                        details=json.dumps({"url": EVIL, "mirror": GOOD}) if i == 0 else f"passo {i}",
                    )
                )
        yield client


def test_registros_render_only_http_links(client: TestClient) -> None:
    html = client.get("/registros", params={"estado": "failed"}).text
    assert "passo 3" in html and "passo 4" not in html
    params = {"acao": "process_json", "dataset": "precedentes-qualificados"}
    html = client.get("/registros", params=params).text
    assert f'href="{GOOD}"' in html
    assert 'href="javascript' not in html and "javascript:alert(document.cookie)" in html


def test_registros_pages(client: TestClient) -> None:
    first = client.get("/registros").text
    assert f"{LOG_PAGE + 5} registro(s) · página 1 de 2" in first
    assert first.count("<tr class=") == LOG_PAGE
    assert 'id="page-next"' in first and 'id="page-prev"' not in first
    second = client.get("/registros", params={"pagina": 2}).text
    assert second.count("<tr class=") == 5 and 'id="page-prev"' in second and 'id="page-next"' not in second
    filtered = client.get("/registros", params={"estado": "completed"}).text
    assert f"{LOG_PAGE + 4} registro(s)" in filtered
    assert 'href="/registros?estado=completed&amp;pagina=2"' in filtered
    assert client.get("/registros", params={"pagina": 0}).status_code == 422


def test_old_logs_address_redirects(client: TestClient) -> None:
    response = client.get("/logs", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == "/registros"


def test_activity_fragment_and_pages_carry_the_policy(client: TestClient) -> None:
    fragment = client.get("/parcial/atividade")
    assert fragment.status_code == 200 and "Nenhum trabalho em andamento" in fragment.text
    for path in ("/", "/datasets", "/consulta", "/grafo", "/registros", "/static/app.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (GOOD, GOOD),
        ("  http://x.example/a ", "http://x.example/a"),
        (EVIL, None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example", None),
        ("/comunidades?id=1", None),
        (None, None),
        (42, None),
    ],
)
def test_http_url(value: object, expected: str | None) -> None:
    assert http_url(value) == expected


def test_log_details_and_filesize() -> None:
    assert log_details(json.dumps({"a": 1, "b": "x"})) == [("a", 1), ("b", "x")]
    assert log_details("texto livre") == [("", "texto livre")]
    assert log_details(None) == [] and log_details("[1, 2]") == [("", [1, 2])]
    assert (filesize(None), filesize(900), filesize(1536), filesize(5 * 1024**2)) == (
        "",
        "900 B",
        "1,5 KB",
        "5,0 MB",
    )

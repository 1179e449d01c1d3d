"""The app factory, health endpoints, metrics and request ids."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.config import load_settings
from jurisgraph.kit.lanes import available_cores
from tests.fixtures.accounts import USER_EMAIL, bearer, container_of


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    return TestClient(create_app(settings))


def test_live_and_ready(client: TestClient) -> None:
    with client:
        assert client.get("/health/live").json() == {"status": "ok"}
        ready = client.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"database": "ok", "vector_store": "ok"}


def test_questions_and_searches_are_computed_a_few_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings)) as client:
        assert client.app.state.query_lane.size == available_cores()  # type: ignore[attr-defined]
        assert client.get("/api/v1/search", params={"q": "Súmula 7"}).status_code == 200
    monkeypatch.setenv("JURISGRAPH_APP_QUERY_CONCURRENCY", "3")
    with TestClient(create_app(load_settings())) as client:
        assert client.app.state.query_lane.size == 3  # type: ignore[attr-defined]


def test_ready_names_the_failing_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql+pymysql://nobody:wrong@127.0.0.1:1/none")
    with TestClient(create_app(load_settings())) as client:
        ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["database"]


def test_ready_names_the_failing_vector_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QDRANT_URL", "http://127.0.0.1:1")
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings)) as client:
        ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["vector_store"]


def test_request_id_and_metrics(client: TestClient) -> None:
    with client:
        response = client.get("/health/live", headers={"x-request-id": "abc123"})
        assert response.headers["x-request-id"] == "abc123"
        assert client.get("/health/live").headers["x-request-id"]
        metrics = client.get("/metrics").text
    assert 'jurisgraph_http_requests_total{method="GET",route="/health/live",status="200"}' in metrics


def test_dashboard_renders(client: TestClient) -> None:
    with client:
        page = client.get("/", headers=bearer(container_of(client), USER_EMAIL, role="user"))
        anonymous = client.get("/", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=%2F"
    assert page.status_code == 200
    assert "Painel" in page.text and 'data-stat="Documentos"' in page.text


def test_nothing_connects_at_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql+pymysql://nobody:wrong@127.0.0.1:1/none")
    app = create_app(load_settings())  # building the app must not touch the database
    assert app.title == "jurisgraph"


def test_reads_on_an_empty_database_find_nothing_and_write_nothing(client: TestClient) -> None:
    with client:
        search = client.get("/api/v1/search", params={"q": "Tema 1.076"})
        assert search.status_code == 200 and search.json()["passages"] == []
        assert client.get("/api/v1/graph/entities", params={"q": "tema"}).json() == []
        admin = bearer(container_of(client))  # creates the admin's private workspace, nothing public
        assert client.get("/api/v1/datasets", headers=admin).json() == []
        assert client.get("/api/v1/jobs/no-such-job", headers=admin).status_code == 404
        page = client.get("/busca", params={"q": "Tema 1.076"})
        assert page.status_code == 200
    engine = create_engine(load_settings().database_url)
    try:
        with engine.connect() as conn:
            count = "select count(*) from workspaces where kind = 'public'"
            assert conn.execute(text(count)).scalar_one() == 0
    finally:
        engine.dispose()


def test_every_api_route_is_under_api_v1(client: TestClient) -> None:
    paths = list(client.get("/openapi.json").json()["paths"])
    api = [path for path in paths if path.startswith("/api")]
    assert api, paths
    assert [path for path in api if not path.startswith("/api/v1/")] == []
    assert client.get("/api/search", params={"q": "tema"}).status_code == 404


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURISGRAPH_ENV", "production")
    monkeypatch.setenv("JWT_SECRET", "p" * 40)
    monkeypatch.setenv("JURISGRAPH_APP_ALLOWED_HOSTS", '["testserver"]')


@pytest.mark.usefixtures("production")
def test_metrics_are_absent_in_production_without_a_token() -> None:
    settings = load_settings()
    settings.home.mkdir(parents=True)
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings)) as client:
        response = client.get("/metrics")
        assert response.status_code == 404 and response.json()["error"] == "not_found"
        assert client.get("/health/live").status_code == 200
        assert client.get("/health/live", headers={"host": "evil.example"}).status_code == 400


@pytest.mark.usefixtures("production")
def test_metrics_need_the_bearer_token_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURISGRAPH_APP_METRICS_TOKEN", "m" * 32)
    settings = load_settings()
    settings.home.mkdir(parents=True)
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings)) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 401
        ok = client.get("/metrics", headers={"authorization": "Bearer " + "m" * 32})
    assert ok.status_code == 200 and "jurisgraph_http_requests_total" in ok.text
    assert ok.headers["strict-transport-security"]


def test_an_oversized_body_is_413_json(client: TestClient) -> None:
    with client:
        response = client.post("/api/v1/ask", json={"question": "q", "relator": "R" * 2_000_000})
    assert response.status_code == 413 and response.json()["error"] == "too_large"


def test_a_streamed_oversized_body_is_413_json(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "q", "relator": "'
        for _ in range(2100):
            yield b"R" * 1000
        yield b'"}'

    with client:
        response = client.post("/api/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json() == {
        "error": "too_large",
        "detail": "Content Too Large",
    }

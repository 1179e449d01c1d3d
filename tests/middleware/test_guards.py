"""The guards around every request: body size limit (declared and streamed), security headers,
trusted hosts; all answering the JSON error shape."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from jurisgraph import middleware
from jurisgraph.config import AppSettings, Settings
from jurisgraph.kit.inputs import RequestBody
from jurisgraph.middleware.guards import CSP
from jurisgraph.web.csp import POLICY

LIMIT = 4096


class Note(RequestBody):
    text: str


def guarded_app(**app_settings: object) -> FastAPI:
    app = FastAPI()
    middleware.install(app)
    settings = Settings(app=AppSettings(max_body_bytes=LIMIT, **app_settings))  # type: ignore[arg-type]
    app.state.container = SimpleNamespace(settings=settings)

    @app.post("/notes")
    def add(note: Note) -> dict[str, int]:
        return {"chars": len(note.text)}

    @app.post("/raw")
    async def raw(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    @app.get("/hello")
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(guarded_app()) as client:
        yield client


def test_a_body_under_the_limit_passes(client: TestClient) -> None:
    assert client.post("/notes", json={"text": "x" * 1000}).json() == {"chars": 1000}


def test_a_declared_body_over_the_limit_is_413(client: TestClient) -> None:
    response = client.post("/notes", json={"text": "x" * (LIMIT + 10)})
    assert response.status_code == 413
    assert response.json() == {"error": "too_large", "detail": f"request body over {LIMIT} bytes"}


def test_a_streamed_body_is_counted_too(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    for path in ("/notes", "/raw"):
        response = client.post(path, content=chunks(), headers={"content-type": "application/json"})
        assert "content-length" not in response.request.headers
        assert response.status_code == 413, (path, response.text)
        assert response.json() == {"error": "too_large", "detail": "Content Too Large"}


def test_a_small_streamed_body_passes(client: TestClient) -> None:
    response = client.post("/raw", content=iter([b"a" * 100, b"b" * 100]))
    assert response.json() == {"bytes": 200}


def test_a_bad_content_length_is_400(client: TestClient) -> None:
    response = client.post("/raw", content=b"abc", headers={"content-length": "-3"})
    assert response.status_code == 400 and response.json()["error"] == "bad_request"


def test_security_headers_on_every_response(client: TestClient) -> None:
    for response in (
        client.get("/hello"),
        client.get("/missing"),
        client.post("/notes", json={"text": "x" * (LIMIT + 10)}),
    ):
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert headers["content-security-policy"] == CSP
        assert "frame-ancestors 'none'" in CSP and "script-src 'self';" in CSP
        assert "camera=()" in headers["permissions-policy"]
        assert "strict-transport-security" not in headers


def test_the_pages_are_written_for_the_policy_sent() -> None:
    assert CSP == POLICY


def test_hsts_only_in_production() -> None:
    with TestClient(guarded_app(env="production", allowed_hosts=["testserver"])) as client:
        assert client.get("/hello").headers["strict-transport-security"].startswith("max-age=")


def test_any_host_by_default(client: TestClient) -> None:
    assert client.get("/hello", headers={"host": "evil.example"}).status_code == 200


def test_trusted_hosts_refuse_others_with_json() -> None:
    with TestClient(guarded_app(allowed_hosts=["juris.example.org", "*.juris.example.org"])) as client:
        ok = client.get("/hello", headers={"host": "juris.example.org"})
        sub = client.get("/hello", headers={"host": "api.juris.example.org:8443"})
        bad = client.get("/hello", headers={"host": "evil.example"})
    assert ok.status_code == 200 and sub.status_code == 200
    assert bad.status_code == 400
    assert bad.json() == {"error": "invalid_host", "detail": "host not allowed"}
    assert bad.headers["x-content-type-options"] == "nosniff"

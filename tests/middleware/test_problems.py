"""Every 4xx/5xx answers ``{"error": <code>, "detail": <message or list>}``, and the reply
encodes whatever the caller sent (non-finite numbers, lone surrogates, huge strings)."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import Field

from jurisgraph import middleware
from jurisgraph.errors import Conflict, NotFound
from jurisgraph.kit.inputs import RequestBody


class Body(RequestBody):
    question: str = Field(..., max_length=50)
    k: int = Field(8, ge=1, le=50)
    weight: float = 1.0


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    middleware.install(app)

    @app.post("/echo")
    def echo(body: Body) -> dict[str, object]:
        return body.model_dump()

    @app.get("/missing")
    def missing() -> None:
        raise NotFound("no such thing")

    @app.get("/conflict")
    def conflict() -> None:
        raise Conflict("already running")

    @app.get("/teapot")
    def teapot() -> None:
        raise HTTPException(418, "short and stout")

    return TestClient(app)


def shape(response: object) -> dict[str, object]:
    body = json.loads(response.content)  # type: ignore[attr-defined]
    assert set(body) == {"error", "detail"} and isinstance(body["error"], str)
    return body  # type: ignore[no-any-return]


def test_errors_of_the_hierarchy(client: TestClient) -> None:
    missing = client.get("/missing")
    assert missing.status_code == 404 and shape(missing) == {"error": "not_found", "detail": "no such thing"}
    assert shape(client.get("/conflict"))["error"] == "conflict"


def test_routing_and_http_errors(client: TestClient) -> None:
    assert shape(client.get("/nowhere")) == {"error": "not_found", "detail": "Not Found"}
    wrong = client.delete("/echo")
    assert wrong.status_code == 405 and shape(wrong)["error"] == "method_not_allowed"
    assert "POST" in wrong.headers["allow"]
    teapot = client.get("/teapot")
    assert teapot.status_code == 418 and shape(teapot) == {
        "error": "i'm_a_teapot",
        "detail": "short and stout",
    }


@pytest.mark.parametrize(
    "raw",
    [
        b'{"question": "q", "k": NaN}',
        b'{"question": "q", "k": Infinity}',
        b'{"question": "q", "k": -Infinity}',
        b'{"question": "q", "k": 1e309}',
        b'{"question": "q", "weight": NaN}',
        b'{"question": "q", "weight": 1e309}',
        b'{"question": "\\ud800"}',
        b'{"question": "ok \\udfff end"}',
        b'{"question": "q", "k": 99999999999999999999999999}',
        b'{"question": "q", "\\ud800": 1, "k": "x"}',
    ],
)
def test_bad_values_get_a_422_that_encodes(client: TestClient, raw: bytes) -> None:
    response = client.post("/echo", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    body = shape(response)
    assert body["error"] == "invalid_input"
    problems = body["detail"]
    assert isinstance(problems, list) and problems
    assert all(set(p) == {"loc", "msg", "type"} for p in problems)


def test_a_422_never_echoes_the_input(client: TestClient) -> None:
    response = client.post("/echo", json={"question": "SECRET" * 10_000})
    assert response.status_code == 422
    assert "SECRET" not in response.text and len(response.content) < 2000


def test_a_malformed_body_is_a_json_422(client: TestClient) -> None:
    response = client.post("/echo", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and shape(response)["error"] == "invalid_input"

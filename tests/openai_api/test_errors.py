"""Every error under ``/v1`` in the OpenAI shape ``{"error": {"message", "type", "param", "code"}}``
(validation 400, 401, 404, 429 with Retry-After, 500), while ``/api/v1`` keeps its own shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from jurisgraph.openai_api.errors import reshape, under_prefix
from tests.auth.conftest import app_settings, running
from tests.fixtures.accounts import add_user, login
from tests.fixtures.live import api_key

ASK = {"model": "jurisgraph-naive", "messages": [{"role": "user", "content": "Tema 1.076"}]}


def openai_error(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


@pytest.fixture
def app(tmp_path: Path) -> Any:
    settings = app_settings(tmp_path / "home", JURISGRAPH_AUTH_QUERY_RATE_LIMIT="2/minute")
    with running(settings) as client:
        yield client


def headers(client: TestClient, email: str = "errors@tests.example") -> dict[str, str]:
    _, _, key = api_key(client.app.state.container, email)  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {key}"}


def test_anonymous_and_wrong_credentials_get_401(app: TestClient) -> None:
    for sent in (
        {},
        {"Authorization": "Bearer jg_wrong_key_000000000000"},
        {"Authorization": "Bearer x.y.z"},
    ):
        for method, path in (("GET", "/v1/models"), ("POST", "/v1/chat/completions")):
            response = app.request(method, path, json=ASK, headers=sent)
            error = openai_error(response, 401)
            assert error["type"] == "authentication_error"
            assert error["code"] in ("invalid_api_key", "invalid_token")
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_validation_errors_are_400_naming_the_field(app: TestClient) -> None:
    cases = [
        ({"model": "jurisgraph-auto"}, "messages"),
        ({"model": "jurisgraph-auto", "messages": []}, "messages"),
        ({"model": "jurisgraph-auto", "messages": [{"role": "robot", "content": "x"}]}, "messages.0.role"),
        ({"messages": ASK["messages"]}, "model"),
    ]
    # a request counts against the rate limit (2 a minute here) even when its body is invalid
    for n, (body, param) in enumerate(cases):
        auth = headers(app, f"invalid-{n}@tests.example")
        error = openai_error(app.post("/v1/chat/completions", json=body, headers=auth), 400)
        assert error["type"] == "invalid_request_error" and error["param"] == param, error
    auth = headers(app, "last-not-user@tests.example")
    last_not_user = {"model": "jurisgraph-auto", "messages": [{"role": "assistant", "content": "oi"}]}
    error = openai_error(app.post("/v1/chat/completions", json=last_not_user, headers=auth), 400)
    assert (error["code"], error["param"]) == ("invalid_messages", "messages")
    not_json = app.post(
        "/v1/chat/completions", content=b"{", headers={**auth, "content-type": "application/json"}
    )
    openai_error(not_json, 400)


def test_an_unknown_model_is_404(app: TestClient) -> None:
    auth = headers(app)
    error = openai_error(app.post("/v1/chat/completions", json={**ASK, "model": "gpt-4o"}, headers=auth), 404)
    assert error["code"] == "model_not_found" and "jurisgraph-auto" in error["message"]
    assert error["param"] == "model"
    openai_error(app.get("/v1/models/gpt-4o", headers=auth), 404)
    openai_error(app.get("/v1/nothing-here", headers=auth), 404)


def test_the_query_rate_limit_is_429_with_retry_after(app: TestClient) -> None:
    auth = headers(app, "limited@tests.example")
    for _ in range(2):
        assert app.post("/v1/chat/completions", json=ASK, headers=auth).status_code == 200
    response = app.post("/v1/chat/completions", json=ASK, headers=auth)
    error = openai_error(response, 429)
    assert error["type"] == "rate_limit_error" and error["code"] == "rate_limit_exceeded"
    assert int(response.headers["Retry-After"]) >= 1
    # the models are not questions: no limit on them
    assert app.get("/v1/models", headers=auth).status_code == 200


def test_api_v1_keeps_its_own_error_shape(app: TestClient) -> None:
    response = app.get("/api/v1/graph/entities/tema:1", headers=headers(app))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found" and "detail" in response.json()
    assert app.post("/api/v1/ask", json={}).json()["error"] in ("unauthorized", "invalid_input")


def test_reshape_of_other_replies() -> None:
    status, body = reshape(
        500, orjson.dumps({"error": "internal_error", "detail": "internal error (request x)"})
    )
    assert status == 500
    assert orjson.loads(body) == {
        "error": {
            "message": "internal error (request x)",
            "type": "api_error",
            "param": None,
            "code": "internal_error",
        }
    }
    status, body = reshape(502, b"Bad gateway")
    assert status == 502 and orjson.loads(body)["error"]["message"] == "Bad gateway"
    shaped = orjson.dumps({"error": {"message": "m", "type": "t", "param": None, "code": "c"}})
    assert reshape(400, shaped) == (400, shaped)
    budget = orjson.loads(reshape(429, orjson.dumps({"error": "budget_exhausted", "detail": "x"}))[1])
    assert budget["error"]["type"] == "insufficient_quota"
    assert under_prefix("/v1") and under_prefix("/v1/models")
    assert not under_prefix("/api/v1/ask") and not under_prefix("/v10") and not under_prefix("/mcp")


def test_a_cookie_session_needs_the_csrf_token_and_a_bearer_key_does_not(app: TestClient) -> None:
    container = app.app.state.container  # type: ignore[attr-defined]
    add_user(container, "cookie@tests.example")
    csrf = login(app, "cookie@tests.example")
    error = openai_error(app.post("/v1/chat/completions", json=ASK), 403)
    assert error["code"] == "csrf" and error["type"] == "permission_error"
    assert app.post("/v1/chat/completions", json=ASK, headers={"X-CSRF-Token": csrf}).status_code == 200
    # a bearer key is no cookie: no CSRF token, whatever cookies the client holds
    assert (
        app.post("/v1/chat/completions", json=ASK, headers=headers(app, "bearer@tests.example")).status_code
        == 200
    )

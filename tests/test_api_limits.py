"""Every route of the OpenAPI schema (walked as an admin) bounds its inputs: integers have a
minimum and a maximum, strings a length (or an enum, a pattern, a format), list routes a limit
and an offset; out of bounds is a JSON 422, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.config import load_settings
from tests.fixtures.accounts import sign_in

#: a minimal valid body of each route that takes one
BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/ask": {"question": "Tema 1.076"},
    "/api/v1/graph/query": {"question": "quantos temas"},
    "/api/v1/ingest": {"sample": True},
    "/api/v1/keys": {"name": "walker"},
    "/v1/chat/completions": {
        "model": "jurisgraph-naive",
        "messages": [{"role": "user", "content": "Tema 1.076"}],
    },
}


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("JURISGRAPH_AUTH_QUERY_RATE_LIMIT", "100000/minute")  # the walk sends hundreds
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield sign_in(client)


@pytest.fixture
def schema(client: TestClient) -> dict[str, Any]:
    body: dict[str, Any] = client.get("/openapi.json").json()
    return body


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def leaves(schema: dict[str, Any], node: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every scalar schema under ``node`` with its location."""
    node = resolve(schema, node)
    for key in ("anyOf", "oneOf", "allOf"):
        for i, part in enumerate(node.get(key, [])):
            yield from leaves(schema, part, f"{where}|{i}")
    if "properties" in node:
        for name, sub in node["properties"].items():
            yield from leaves(schema, sub, f"{where}.{name}")
    elif node.get("type") == "array":
        assert "maxItems" in node, f"{where}: array without maxItems"
        yield from leaves(schema, node.get("items", {}), f"{where}[]")
    elif "type" in node:
        yield where, node


def unbounded(node: dict[str, Any]) -> bool:
    kind = node["type"]
    if kind in ("integer", "number"):
        return "maximum" not in node or "minimum" not in node
    if kind == "string":
        return not ({"maxLength", "enum", "pattern", "format", "const"} & set(node))
    return False


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def test_every_parameter_and_body_field_is_bounded(schema: dict[str, Any]) -> None:
    found = []
    for path, method, op in operations(schema):
        for param in op.get("parameters", []):
            for where, node in leaves(schema, param["schema"], f"{method} {path} {param['name']}"):
                if unbounded(node):
                    found.append(where)
        body = op.get("requestBody", {}).get("content", {}).get("application/json")
        if body:
            for where, node in leaves(schema, body["schema"], f"{method} {path} body"):
                if unbounded(node):
                    found.append(where)
    assert found == []


def test_every_list_route_pages(schema: dict[str, Any]) -> None:
    lists = []
    for path, _method, op in operations(schema):
        reply = op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
        if resolve(schema, reply.get("schema", {})).get("type") == "array":
            lists.append(path)
            names = {p["name"]: p["schema"] for p in op.get("parameters", [])}
            assert {"limit", "offset"} <= set(names), path
            assert names["limit"]["maximum"] <= 1000 and names["offset"]["maximum"] <= 10**6, path
    assert "/api/v1/queries" in lists and "/api/v1/graph/communities" in lists


def fill(path: str) -> str:
    return path.replace("{", "").replace("}", "")


def _scalar_params(op: dict[str, Any], schema: dict[str, Any], kind: str) -> list[str]:
    names = []
    for param in op.get("parameters", []):
        if param["in"] == "query" and any(
            n.get("type") == kind for _, n in leaves(schema, param["schema"], "")
        ):
            names.append(param["name"])
    return names


def test_out_of_range_integers_and_long_strings_are_422(client: TestClient, schema: dict[str, Any]) -> None:
    tried = 0
    for path, method, op in operations(schema):
        if method != "get":
            continue
        base = (
            {"q": "tema"}
            if any(p["name"] == "q" and p.get("required") for p in op.get("parameters", []))
            else {}
        )
        for name in _scalar_params(op, schema, "integer"):
            for value in ("99999999999999999999", "9223372036854775808", "-99999999999999999999"):
                response = client.get(fill(path), params={**base, name: value})
                assert response.status_code == 422, (path, name, value, response.text)
                assert response.json()["error"] == "invalid_input"
                tried += 1
        for name in _scalar_params(op, schema, "string"):
            response = client.get(fill(path), params={**base, name: "x" * 5000})
            assert response.status_code == 422, (path, name, response.text)
            tried += 1
    assert tried > 30


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "1e309", "99999999999999999999999"])
def test_body_numbers_must_be_finite_and_bounded(
    client: TestClient, schema: dict[str, Any], bad: str
) -> None:
    tried = 0
    for path, method, op in operations(schema):
        body = op.get("requestBody", {}).get("content", {}).get("application/json")
        if not body:
            continue
        props = resolve(schema, body["schema"]).get("properties", {})
        for name, sub in props.items():
            if any(n.get("type") in ("integer", "number") for _, n in leaves(schema, sub, "")):
                raw = (
                    str(BODIES[path])[:-1].replace("'", '"').replace("True", "true") + f', "{name}": {bad}}}'
                )
                response = client.request(
                    method, path, content=raw.encode(), headers={"content-type": "application/json"}
                )
                assert response.status_code == 422, (path, name, bad, response.text)
                tried += 1
    assert tried >= 2


def test_the_probed_500s_are_422s(client: TestClient) -> None:
    assert client.get("/api/v1/queries", params={"offset": "99999999999999999999"}).status_code == 422
    level = client.get("/api/v1/graph/communities", params={"level": "9223372036854775808"})
    assert level.status_code == 422 and level.json()["error"] == "invalid_input"
    for raw in (b'{"question": "q", "k": NaN}', b'{"question": "q", "k": 1e309}', b'{"question": "\\ud800"}'):
        response = client.post("/api/v1/ask", content=raw, headers={"content-type": "application/json"})
        assert response.status_code == 422, raw
        detail = response.json()["detail"]
        assert detail and all(isinstance(p["msg"], str) for p in detail)


def test_a_long_filter_is_refused_and_not_stored(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": "Tema 1.076", "relator": "R" * 201})
    assert response.status_code == 422 and "RRRR" not in response.text
    assert client.get("/api/v1/queries").json() == []
    assert client.get("/api/v1/ask/stream", params={"q": "tema", "relator": "R" * 201}).status_code == 422

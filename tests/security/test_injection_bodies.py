"""SQL in every text field of every JSON request body is data, never a statement.

For every API route the OpenAPI schema gives a JSON body, a valid body is derived from the schema (a
small table of bodies where the schema alone does not make one that succeeds), each SQL payload is put
in turn into each of its string fields and the request is sent as a user and as an admin: no 5xx, every
reply a JSON 2xx or 4xx; afterwards every table is intact (only the rows the requests legitimately
created are new, none is gone, a canary table and row untouched) and a payload stored as data reads
back byte-identical. The login form (the one form body in the schema), path parameters of the
non-GET routes and upload file names get the same payloads. Runs on SQLite and on the test MariaDB
(whose quoting differs: a backslash escapes there)."""

from __future__ import annotations

import copy
import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Engine, func, inspect, select, text

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.auth import passwords
from jurisgraph.auth import service as auth
from jurisgraph.db import session_scope
from jurisgraph.models import Job
from jurisgraph.runtime import Container
from tests.fixtures.accounts import PASSWORD, add_user
from tests.fixtures.databases import mariadb_databases
from tests.fixtures.homes import make_settings
from tests.security.test_injection import SQL

#: the GET test's payloads, and two that matter where a backslash escapes a quote (MySQL/MariaDB)
PAYLOADS = (*SQL, "\\' OR 1=1 -- ", "x'); UPDATE users SET role='admin' WHERE ('1'='1")
ROLES = ("user", "admin")
#: routes after which the caller's password and token are restored
ENDS_SESSIONS = {"/api/v1/auth/password"}
CANARY = "sqlbody_canary"
CANARY_NOTE = "still here"
#: tables the requests may legitimately add rows to (accounts, their workspaces, keys, questions
#: asked, ingest jobs and their logs; their earlier rows stay as they were); every other table
#: must be byte-identical afterwards
GROWS = {"users", "workspaces", "api_keys", "rag_queries", "jobs", "extraction_logs"}
#: of those, the tables whose earlier rows the requests may change (passwords reset, roles changed)
CHANGES = {"users"}
#: a valid string where the field's name says more than its schema
STRINGS = {
    "email": "novo.{unique}@example.org",
    "password": PASSWORD,
    "current_password": PASSWORD,
    "new_password": PASSWORD,
    "question": "Qual o entendimento da Súmula 7 do STJ?",
    "model": "jurisgraph-auto",
    "type": "text",
    "portal": "",
}
#: bodies where the schema alone does not make one that succeeds (a choice of fields, a known id)
BODIES: dict[str, list[dict[str, Any]]] = {
    "/api/v1/auth/login": [{"email": "{caller}", "password": PASSWORD}],
    "/api/v1/keys": [{"name": "api", "expires_days": 30}],  # one's own key (another's: admins only)
    "/api/v1/graph/query": [
        {"question": "quantos temas da Primeira Seção o Min. Sérgio Kukina relatou"},
        {
            "query": {
                "relation": "relator_de",
                "anchors": ["ministro:sergio_kukina"],
                "filters": {"orgao": "S1", "classe": "REsp", "situacao": "afetado", "tipo": "Tema"},
                "aggregate": "count",
            }
        },
    ],
    "/v1/chat/completions": [
        {"model": "jurisgraph-naive", "messages": [{"role": "user", "content": "Súmula 7 do STJ"}]},
        {
            "model": "jurisgraph-naive",
            "messages": [{"role": "user", "content": [{"type": "text", "text": "Súmula 7 do STJ"}]}],
        },
    ],
    "/api/v1/ingest": [{"dataset": "espelhos-de-acordaos", "resource": "recurso-1", "force": False}],
}
#: where a string sent in a body is stored and read back: (route, field) -> (listing, its field)
READ_BACK = {
    ("/api/v1/keys", "name"): ("/api/v1/keys?all=true&limit=1000", "name"),
    ("/api/v1/users", "name"): ("/api/v1/users?limit=1000", "name"),
    ("/api/v1/users", "email"): ("/api/v1/users?limit=1000", "email"),
    ("/api/v1/ask", "question"): ("/api/v1/queries?limit=500", "query"),
}
#: stored fields the service trims of surrounding blanks (the rest is kept byte for byte)
TRIMMED = {("/api/v1/keys", "name"), ("/api/v1/ask", "question")}


@dataclass
class Target:
    """The started app, its container, the callers' ids and the id of a user the admin routes act on."""

    http: TestClient
    container: Container
    callers: dict[str, int]
    emails: dict[str, str]
    other_user: int
    tokens: dict[str, str] = field(default_factory=dict)
    sent: int = 0

    def headers(self, role: str) -> dict[str, str]:
        """The ``role`` caller's bearer token."""
        if role not in self.tokens:
            self.restore(role)
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def restore(self, role: str) -> None:
        """The ``role`` caller's password and a fresh token back (a password change ends its sessions)."""
        user_id = self.callers[role]
        with session_scope(self.container.sessions) as session:
            auth.reset_password(session, user_id, PASSWORD)
            user = auth.get_user(session, user_id)
            self.tokens[role] = auth.session_token(user, self.container.settings.auth)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    home = tmp_path_factory.mktemp("sqlbody")
    with ExitStack() as stack:
        url = ""
        if request.param == "mariadb":
            [url] = stack.enter_context(mariadb_databases(1))
        settings = make_settings(home / "home", url)
        settings.app.log_level = "WARNING"
        settings.pipeline.embed_on_start = False
        settings.auth.query_rate_limit = settings.auth.login_rate_limit = "100000/minute"
        settings.pipeline.max_queued_jobs = settings.pipeline.max_queued_jobs_per_user = 1000
        mirror = home / "empty-mirror"  # ingest jobs read an empty local portal, quickly
        mirror.mkdir()
        (mirror / "catalog.json").write_text(json.dumps({"packages": []}), encoding="utf-8")
        settings.portal.url = str(mirror)
        settings.home.mkdir(parents=True, exist_ok=True)
        migrations.upgrade(settings.database_url)
        # argon2 at its cheapest: a few hundred logins, password changes and accounts stay quick
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        patch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        http = stack.enter_context(TestClient(create_app(settings)))
        container: Container = http.app.state.container  # type: ignore[attr-defined]
        emails = {role: f"sql.{role}@tests.example" for role in ROLES}
        callers = {role: add_user(container, emails[role], role=role) for role in ROLES}
        other = add_user(container, "alvo@tests.example")
        yield Target(http, container, callers, emails, other)


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def example(schema: dict[str, Any], node: dict[str, Any], name: str = "") -> Any:
    """A valid value of ``node``, every optional field filled (anyOf: its first non-null choice)."""
    node = resolve(schema, node)
    if "anyOf" in node:
        return example(schema, next(o for o in node["anyOf"] if o.get("type") != "null"), name)
    if "enum" in node:
        return node.get("default", node["enum"][0])
    kind = node.get("type")
    if kind == "object":
        return {key: example(schema, sub, key) for key, sub in node.get("properties", {}).items()}
    if kind == "array":
        return [example(schema, node["items"], name)]
    if kind == "string":
        if node.get("format") == "date":
            return "2020-01-01"
        if isinstance(node.get("default"), str):
            return node["default"]
        return STRINGS.get(name, "Súmula 7")
    if kind == "integer":
        return node.get("default", int(node.get("minimum", 1)))
    if kind == "boolean":
        return node.get("default", False)
    raise AssertionError(f"no example for {node}")


def string_fields(body: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The paths (keys and indexes) of every string in ``body``."""
    if isinstance(body, str):
        yield at
    elif isinstance(body, dict):
        for key, value in body.items():
            yield from string_fields(value, (*at, key))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            yield from string_fields(value, (*at, index))


def as_field(name: object, payload: str) -> str:
    """``payload`` as a value of the field ``name``: an e-mail address keeps its shape (no spaces,
    lower case, a domain) so that it is stored, quotes and all."""
    if name == "email":
        return payload.replace(" ", "").lower() + "@example.org"
    return payload


def with_value(body: Any, at: tuple[Any, ...], value: str) -> Any:
    changed = copy.deepcopy(body)
    node = changed
    for step in at[:-1]:
        node = node[step]
    node[at[-1]] = value
    return changed


@dataclass
class Route:
    method: str
    path: str
    path_params: list[str]
    bodies: list[dict[str, Any]]
    form: bool = False


def body_routes(http: TestClient) -> list[Route]:
    """Every non-GET route of the API, with valid JSON bodies where it takes one."""
    schema: dict[str, Any] = http.get("/openapi.json").json()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            in_path = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            content = operation.get("requestBody", {}).get("content", {})
            bodies: list[dict[str, Any]] = []
            if "application/json" in content:
                bodies = BODIES.get(path) or [example(schema, content["application/json"]["schema"])]
            form = "application/x-www-form-urlencoded" in content
            found.append(Route(method.upper(), path, in_path, bodies, form))
    return found


def send(
    target: Target, route: Route, role: str, body: Any, path_value: str | None = None, *, form: bool = False
) -> Response:
    """``body`` sent to ``route`` as ``role`` (as JSON, or as an HTML form), ``path_value`` in its
    path parameters: never a 5xx, never refused by a limit (the payload reached the service), a JSON
    reply unless a form is redirected."""
    values = {name: path_value or str(target.other_user) for name in route.path_params}
    target.sent += 1
    unique = json.dumps(body).replace("{unique}", str(target.sent))
    body = json.loads(unique.replace('"{caller}"', json.dumps(target.emails[role])))
    url, headers = route.path.format(**values), target.headers(role)
    if form:
        reply = target.http.request(route.method, url, data=body, headers=headers, follow_redirects=False)
    else:
        reply = target.http.request(route.method, url, json=body, headers=headers)
    if route.path in ENDS_SESSIONS and reply.is_success:
        target.restore(role)
    where = (route.method, route.path, role, body, path_value)
    assert reply.status_code < 500, (where, reply.text[:300])
    assert reply.status_code != 429, (where, reply.text[:300])
    if not (form and reply.status_code == 303):
        assert reply.headers["content-type"].startswith("application/json"), (where, reply.headers)
        reply.json()
    return reply


def snapshot(engine: Engine) -> dict[str, list[tuple[str, str]]]:
    """Every table's rows as (primary key, digest of the row), sorted."""
    tables: dict[str, list[tuple[str, str]]] = {}
    inspector = inspect(engine)
    with engine.connect() as conn:
        for table in inspector.get_table_names():
            keys = inspector.get_pk_constraint(table)["constrained_columns"]
            rows = conn.execute(text(f"SELECT * FROM {table}")).mappings().all()
            tables[table] = sorted(
                (
                    repr([row[k] for k in keys]),
                    hashlib.sha256(repr(sorted((k, repr(v)) for k, v in row.items())).encode()).hexdigest(),
                )
                for row in rows
            )
    return tables


def wait_for_jobs(container: Container) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with session_scope(container.sessions) as session:
            busy = session.scalar(
                select(func.count()).select_from(Job).where(Job.status.in_(("queued", "running")))
            )
        if not busy:
            return
        time.sleep(0.2)
    raise AssertionError("jobs still running after 30 s")


def test_sql_in_every_json_body_field_is_only_data(target: Target) -> None:
    engine = target.container.engine
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {CANARY} (id INTEGER PRIMARY KEY, note VARCHAR(40))"))
        conn.execute(text(f"INSERT INTO {CANARY} (id, note) VALUES (1, :note)"), {"note": CANARY_NOTE})
    before = snapshot(engine)
    routes = body_routes(target.http)
    with_bodies = [r for r in routes if r.bodies]
    assert len(with_bodies) >= 10, [r.path for r in with_bodies]
    stored: dict[tuple[str, str], set[str]] = {}
    fields = 0
    for route in with_bodies:
        for body in route.bodies:
            texts = list(string_fields(body))
            if texts:  # the valid body succeeds for an admin, so the payloads below reach the service
                valid = send(target, route, "admin", body)
                assert valid.status_code < 300, (route.path, body, valid.text[:300])
            for at in texts:
                fields += 1
                for payload in (as_field(at[-1], p) for p in PAYLOADS):
                    for role in ROLES:
                        changed = with_value(body, at, payload)
                        reply = send(target, route, role, changed)
                        if reply.status_code < 300 and (route.path, at[-1]) in READ_BACK:
                            stored.setdefault((route.path, str(at[-1])), set()).add(payload)
                        if route.form:
                            send(target, route, role, changed, form=True)
    assert fields >= 25
    for route in routes:  # path parameters of the writing routes (the GET ones have their own test)
        if not route.path_params:
            continue
        for payload in PAYLOADS:
            for role in ROLES:
                send(target, route, role, route.bodies[0] if route.bodies else None, payload)
    wait_for_jobs(target.container)

    assert {key for key in stored} == set(READ_BACK), "every stored field was stored with a payload"
    for (path, name), payloads in stored.items():
        listing, column = READ_BACK[(path, name)]
        rows = target.http.get(listing, headers=target.headers("admin")).json()
        assert isinstance(rows, list) and len(rows) < 500, listing  # one page holds them all
        values = {row[column] for row in rows}
        if (path, name) in TRIMMED:
            payloads = {payload.strip() for payload in payloads}
        assert payloads <= values, (path, name, payloads - values)

    after = snapshot(engine)
    assert set(after) == set(before)
    for table, rows in before.items():
        if table in CHANGES:
            assert {key for key, _ in rows} <= {key for key, _ in after[table]}, table
        elif table in GROWS:
            assert set(rows) <= set(after[table]), table
        else:
            assert after[table] == rows, table
    with engine.connect() as conn:
        notes = conn.execute(text(f"SELECT note FROM {CANARY}")).scalars().all()
    assert notes == [CANARY_NOTE]
    with session_scope(target.container.sessions) as session:  # no payload made anyone an admin
        assert auth.get_user(session, target.callers["user"]).role == "user"


def test_sql_in_an_upload_file_name_is_only_data(target: Target) -> None:
    for n, payload in enumerate(PAYLOADS):
        name = f"{payload}.txt"
        body = f"Conforme a Súmula 7/STJ, peça {n} de nome hostil.".encode()
        reply = target.http.post(
            "/api/v1/documents", files=[("files", (name, body, "text/plain"))], headers=target.headers("user")
        )
        assert reply.status_code == 201, reply.text
        document = reply.json()[0]
        shown = target.http.get(f"/api/v1/documents/{document['id']}", headers=target.headers("user"))
        assert shown.status_code == 200, shown.text
        assert shown.json()["name"] == name.replace('"', "%22")  # how a form (and httpx) sends a quote

"""Requests enter the container's foreground gate for their whole duration."""

from __future__ import annotations

from types import SimpleNamespace

from fastapi import FastAPI
from fastapi.testclient import TestClient

from jurisgraph import middleware
from jurisgraph.engine.embedding import ForegroundGate


def test_a_request_is_foreground_work_while_it_runs() -> None:
    app = FastAPI()
    middleware.install(app)
    gate = ForegroundGate()
    app.state.container = SimpleNamespace(foreground=gate)
    seen: list[int] = []

    @app.get("/probe")
    def probe() -> dict[str, int]:
        seen.append(gate.active)
        return {"active": gate.active}

    with TestClient(app) as client:
        assert client.get("/probe").json() == {"active": 1}
    assert seen == [1]
    assert gate.active == 0
    assert gate.seen_within(3600)


def test_requests_before_the_container_exists_pass() -> None:
    app = FastAPI()
    middleware.install(app)

    @app.get("/probe")
    def probe() -> str:
        return "ok"

    with TestClient(app) as client:
        assert client.get("/probe").status_code == 200

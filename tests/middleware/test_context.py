"""The request context: the foreground gate, request ids, and the compact 500 of an unhandled error."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from jurisgraph import middleware
from jurisgraph.engine.embedding import ForegroundGate
from jurisgraph.logging import MAX_TRACEBACK_CHARS, compact_traceback, configure_logging


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


@pytest.fixture
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def failing_app() -> FastAPI:
    app = FastAPI()
    middleware.install(app)

    @app.get("/boom")
    def boom() -> None:
        big_local_value = "LOCALVALUE" * 20_000
        raise RuntimeError(f"injected failure {len(big_local_value)}")

    return app


@pytest.mark.usefixtures("_restore_logging")
@pytest.mark.parametrize("json", [False, True])
def test_an_unhandled_error_answers_500_json_and_logs_a_small_record_without_locals(
    json: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "logs" / "j.log"
    configure_logging("INFO", json=json, log_file=log_file)
    with TestClient(failing_app(), raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"x-request-id": "probe-1"})
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "internal_error" and "probe-1" in body["detail"]
    console = capsys.readouterr().err
    for text in (console, log_file.read_text(encoding="utf-8")):
        record = next(line for line in text.split("\n\n") if "unhandled_error" in line)
        assert "injected failure 200000" in text and "Traceback" in text
        assert "LOCALVALUE" not in text and "big_local_value =" not in text
        assert len(record) < MAX_TRACEBACK_CHARS + 2000, len(record)


def test_a_traceback_is_cut_to_its_head_and_end() -> None:
    try:
        raise ValueError("x" * (3 * MAX_TRACEBACK_CHARS))
    except ValueError as exc:
        text = compact_traceback(exc)
    assert text is not None and len(text) < MAX_TRACEBACK_CHARS + 100
    assert text.startswith("Traceback") and "characters left out" in text


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("abc-123_X.y:z", True),
        ("x" * 128, True),
        ("x" * 129, False),
        ("x" * 10_000, False),
        ("bad id", False),
        ("<script>", False),
        ("", False),
    ],
)
def test_request_ids_are_validated_and_capped(sent: str, kept: bool) -> None:
    app = FastAPI()
    middleware.install(app)

    @app.get("/probe")
    def probe() -> str:
        return "ok"

    with TestClient(app) as client:
        echoed = client.get("/probe", headers={"x-request-id": sent}).headers["x-request-id"]
    assert (echoed == sent) is kept
    assert 1 <= len(echoed) <= 128 and re.fullmatch(r"[A-Za-z0-9._:\-]+", echoed)

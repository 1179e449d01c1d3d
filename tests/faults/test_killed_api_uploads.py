"""The API process is SIGKILLed while users upload documents: after a restart every upload it
acknowledged, and any it committed without answering, is complete (its file stored, processed to
``embedded``); none is half there. On SQLite and on MariaDB."""

from __future__ import annotations

import secrets
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from jurisgraph import migrations
from jurisgraph.db import session_scope
from jurisgraph.models import Document
from tests.fakes.openai_server import FakeOpenAIServer
from tests.faults.commands import DIM
from tests.fixtures.accounts import bearer
from tests.fixtures.homes import container_at, make_settings
from tests.fixtures.processes import free_port, process_env, start_serve, wait_live
from tests.fixtures.store import integrity_problems

pytestmark = pytest.mark.slow

UPLOADS = 8
START_TIMEOUT_S = 60.0
SETTLE_TIMEOUT_S = 180.0
TEXT = (
    "Petição {n}. Conforme a Súmula 7/STJ e o art. 85 do CPC, o recurso especial não reexamina "
    "provas; os honorários seguem o REsp 1.679.185/RS. Documento número {n} do escritório."
)


def start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    process = start_serve(env, log, port)
    wait_live(f"http://127.0.0.1:{port}", process, log, START_TIMEOUT_S)
    return process


def test_uploads_survive_a_killed_api(tmp_path: Path, embeddings: FakeOpenAIServer, database: str) -> None:
    home = tmp_path / "home"
    variables = {
        **({"DATABASE_URL": database} if database else {}),
        "JURISGRAPH_HOME": str(home),
        "JWT_SECRET": secrets.token_hex(32),
        "JURISGRAPH_EMBEDDING_PROVIDER": "openai",
        "JURISGRAPH_EMBEDDING_BASE_URL": embeddings.base_url,
        "JURISGRAPH_EMBEDDING_DIM": str(DIM),
        "OPENAI_API_KEY": embeddings.api_key,
        "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
        "JURISGRAPH_PIPELINE_JOB_HEARTBEAT_S": "0.5",
        "JURISGRAPH_PIPELINE_JOB_STALE_S": "2",
        "JURISGRAPH_APP_LOG_LEVEL": "WARNING",
    }
    home.mkdir()
    migrations.upgrade(make_settings(home, **variables).database_url)
    with container_at(home, **variables) as container:
        headers = bearer(container, "ana@example.org", role="user")
    env = process_env(variables)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start(env, port, tmp_path / "server.log")
    acknowledged: list[int] = []
    first = threading.Event()

    def upload_all() -> None:
        for n in range(UPLOADS):
            files = [("files", (f"peticao-{n}.txt", TEXT.format(n=n).encode(), "text/plain"))]
            try:
                answer = httpx.post(f"{url}/api/v1/documents", files=files, headers=headers, timeout=30)
            except httpx.TransportError:
                continue
            if answer.status_code == 201:
                acknowledged.extend(row["id"] for row in answer.json())
                first.set()

    uploader = threading.Thread(target=upload_all, daemon=True)
    uploader.start()
    assert first.wait(START_TIMEOUT_S), (tmp_path / "server.log").read_text()
    server.send_signal(signal.SIGKILL)  # mid-stream: uploads and their processing in flight
    server.wait()
    uploader.join(timeout=60)
    assert 0 < len(acknowledged) < UPLOADS

    server = start(env, port, tmp_path / "server.log")
    try:
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        while True:
            rows = httpx.get(f"{url}/api/v1/documents", headers=headers, params={"limit": 100}).json()
            statuses = {row["id"]: row["status"] for row in rows}
            if statuses and set(statuses.values()) == {"embedded"}:
                break
            assert time.monotonic() < deadline, statuses
            time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    assert set(acknowledged) <= set(statuses)  # nothing acknowledged was lost
    with container_at(home, **variables) as container:
        store = container.storage()
        with session_scope(container.sessions) as session:
            uploads = [
                (d.id, d.file_url, d.chunk_count) for d in session.query(Document).filter_by(kind="upload")
            ]
        assert {document_id for document_id, _, _ in uploads} == set(statuses)
        for document_id, key, chunks in uploads:
            assert key and store.exists(key), document_id
            assert chunks > 0, document_id
        assert integrity_problems(container) == []

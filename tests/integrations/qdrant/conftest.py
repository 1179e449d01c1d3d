"""Fixtures for the vector index contract: each adapter on a temporary folder, real STJ records.

The contract runs three ways: ``edge`` (the embedded adapter), ``local`` (the server adapter in
qdrant-client's local mode) and ``http`` (the server adapter through qdrant-client's HTTP path
against the Qdrant-protocol test server, one server per folder, stopped at the end of the module).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jurisgraph.engine.vectors import VectorIndex
from jurisgraph.integrations.qdrant.edge import EdgeVectorIndex
from jurisgraph.integrations.qdrant.server import ServerVectorIndex
from jurisgraph.kit.retry import RetryPolicy
from tests.fakes.qdrant_server import QdrantServer
from tests.fixtures.paths import SHARED_DATA

DATA = SHARED_DATA
TEMAS_JSON = DATA / "derivados" / "temas_repetitivos_stj.json"
ESPELHOS_JSONL = DATA / "espelhos" / "wikijuridica_stj_espelhos_sample_6.jsonl"

Opener = Callable[[Path], VectorIndex]

HTTP_SERVERS: dict[Path, QdrantServer] = {}


def open_http(path: Path) -> ServerVectorIndex:
    """The server adapter over HTTP, on the test server serving ``path`` (started on first use)."""
    folder = path / "http"
    server = HTTP_SERVERS.get(folder)
    if server is None:
        server = HTTP_SERVERS[folder] = QdrantServer(folder).start()
    return ServerVectorIndex(url=server.url, retry=RetryPolicy(max_retries=0))


OPENERS: dict[str, Opener] = {
    "edge": lambda path: EdgeVectorIndex(path / "edge"),
    "local": lambda path: ServerVectorIndex(path=str(path / "local"), retry=RetryPolicy(max_retries=0)),
    "http": open_http,
}


@pytest.fixture(scope="module", autouse=True)
def _stop_http_servers() -> Iterator[None]:
    """Stop the test servers a module started (after its module-scoped adapters are closed)."""
    yield
    while HTTP_SERVERS:
        HTTP_SERVERS.popitem()[1].stop()


@pytest.fixture(params=sorted(OPENERS))
def opener(request: pytest.FixtureRequest) -> Opener:
    """A function opening one adapter on a folder (parametrised over both adapters)."""
    return OPENERS[request.param]


@pytest.fixture
def index(opener: Opener, tmp_path: Path) -> Iterator[VectorIndex]:
    """A fresh adapter on ``tmp_path``, closed after the test."""
    ix = opener(tmp_path)
    yield ix
    ix.close()


def _iso(ddmmyyyy: str | None) -> str | None:
    if not ddmmyyyy:
        return None
    day, month, year = ddmmyyyy.split("/")
    return date(int(year), int(month), int(day)).isoformat()


def _classe(processo: str | None) -> str | None:
    match = re.match(r"\s*([A-Za-z]+)", processo or "")
    return match.group(1) if match else None


@pytest.fixture(scope="session")
def temas_repetitivos() -> list[dict[str, Any]]:
    """Every tema repetitivo as ``{id, text, payload}`` (text as a parser would render it)."""
    raw = json.loads(TEMAS_JSON.read_text(encoding="utf-8"))["temas"]
    records = []
    for key, tema in raw.items():
        text = (
            f"Tema {tema['numero']}. {tema.get('questao') or ''} "
            f"Tese: {tema.get('teseFirmada') or ''} Leading case: {tema.get('processo') or ''}."
        )
        payload: dict[str, Any] = {
            "workspace_id": "stj" if int(key) % 3 else "ws-private",
            "dataset": "precedentes-qualificados",
            "orgao_julgador": tema["orgaoJulgador"],
            "relator": tema.get("relator"),
            "classe": _classe(tema.get("processo")),
            "numero": int(tema["numero"]),
        }
        if _iso(tema.get("dataJulgamento")):
            payload["date"] = _iso(tema.get("dataJulgamento"))
        records.append({"id": f"tema:{key}", "text": text, "payload": payload})
    return records


@pytest.fixture(scope="session")
def espelhos() -> list[dict[str, Any]]:
    """The six real Primeira Turma espelhos: ementa plus cited case law."""
    records = []
    for line in ESPELHOS_JSONL.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        cited = row.get("jurisprudencia_citada") or ""
        text = f"{row['classe']} {row['numero_processo']}. {row['ementa']} {cited}"
        payload = {
            "workspace_id": "stj",
            "dataset": "espelhos-primeira-turma",
            "orgao_julgador": row["orgao_julgador"],
            "relator": row["relator"],
            "classe": row["classe"],
            "date": row["data_julgamento"],
        }
        records.append({"id": f"espelho:{row['id_fonte']}", "text": text, "payload": payload})
    return records

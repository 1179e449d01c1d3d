"""Fixtures of the vector operation tests: real STJ temas, containers on private homes, seeded vectors."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jurisgraph import migrations
from jurisgraph.config import load_settings
from jurisgraph.engine.vectors import CollectionSpec, VectorPoint
from jurisgraph.integrations.qdrant.sparse import Bm25Encoder
from jurisgraph.runtime import Container
from tests.conftest import SHARED_DATA

TEMAS_CSV = SHARED_DATA / "precedentes" / "temas.csv"
DIM = 32
SPEC = CollectionSpec(kind="chunks", model="seeded-random", dim=DIM)


@dataclass(frozen=True)
class Tema:
    """A real tema of temas.csv: its sequence number, number, órgão and thesis text."""

    seq: str
    numero: str
    orgao: str
    situacao: str
    tese: str

    @property
    def point_id(self) -> str:
        return f"tema:{self.seq}"

    @property
    def title(self) -> str:
        return f"Tema {self.numero}"


def read_temas(limit: int) -> list[Tema]:
    """The first ``limit`` temas with a distinct thesis (ISO-8859-1, ``;``-separated)."""
    if not TEMAS_CSV.exists():
        pytest.skip("shared STJ data folder not present")
    found: list[Tema] = []
    seen: set[str] = set()
    with TEMAS_CSV.open(encoding="iso-8859-1", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            tese = row["teseFirmada"].strip()
            seq = row["sequencialPrecedente"]
            if row["tipoPrecedente"] != "Tema" or not tese or tese in seen or seq in seen:
                continue
            seen.update((tese, seq))
            found.append(
                Tema(
                    seq,
                    row["numeroPrecedente"],
                    row["orgaoJulgador"].strip(),
                    row["situacao"],
                    tese,
                )
            )
            if len(found) == limit:
                break
    return found


@pytest.fixture(scope="session")
def temas() -> list[Tema]:
    """300 real temas with a thesis."""
    return read_temas(300)


def seeded_vectors(n: int, dim: int = DIM, seed: int = 7) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Deterministic random vectors (not normalised)."""
    return np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)


def tema_payload(tema: Tema, workspace_id: int = 1) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "chunk_id": tema.point_id,
        "document_key": f"tema:{tema.numero}",
        "kind": "tema",
        "title": tema.title,
        "text": tema.tese,
        "orgao_julgador": tema.orgao,
        "temas": [int(tema.numero)],
        "entities": [],
    }


def tema_points(temas: list[Tema], dim: int = DIM, seed: int = 7) -> list[VectorPoint]:
    """Points of the temas: seeded dense vectors, BM25 sparse vectors of the thesis, a chunk-like payload."""
    dense = seeded_vectors(len(temas), dim, seed)
    sparse = Bm25Encoder().encode_documents([t.tese for t in temas])
    return [
        VectorPoint(id=t.point_id, dense=dense[i], sparse=sparse[i], payload=tema_payload(t))
        for i, t in enumerate(temas)
    ]


@contextmanager
def container_at(home: Path, **variables: str) -> Iterator[Container]:
    """A migrated container on ``home`` with extra environment ``variables``; closed on exit."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JURISGRAPH_HOME", str(home))
        for name, value in variables.items():
            patch.setenv(name, value)
        settings = load_settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    try:
        yield container
    finally:
        container.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The home folder the autouse fixture points JURISGRAPH_HOME at."""
    return Path(os.environ["JURISGRAPH_HOME"])


@pytest.fixture
def container(home: Path) -> Iterator[Container]:
    """A migrated container on the test's home (embedded vector store in ``home/qdrant``)."""
    with container_at(home) as built:
        yield built


@pytest.fixture
def filled(container: Container, temas: list[Tema]) -> Container:
    """The container with the 300 temas in ``SPEC`` and the ``chunks`` alias pointing at it."""
    index = container.vector_index()
    index.ensure_collection(SPEC)
    index.upsert(SPEC, tema_points(temas))
    index.set_alias("chunks", SPEC)
    return container

"""The bundled real STJ sample ingested once (sparse vectors only), and a query embedder that
never runs the real model."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text

from jurisgraph import migrations
from jurisgraph.config import Settings
from jurisgraph.datasets import service as datasets
from jurisgraph.db import session_scope
from jurisgraph.engine.embedding import Matrix, ModelSignature, Vector
from jurisgraph.integrations.embeddings import build_embedder
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import ensure_public_workspace

SAMPLE = Path(datasets.sample_folder())


class QueryEmbedder:
    """Deterministic pseudo query vectors under the configured model's signature; passages are
    never embedded here (the sample is indexed sparse-only)."""

    def __init__(self, signature: ModelSignature) -> None:
        self._signature = signature

    @property
    def signature(self) -> ModelSignature:
        return self._signature

    def embed_query(self, text: str) -> Vector:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        vector = np.random.default_rng(seed).standard_normal(self._signature.dim).astype(np.float32)
        return vector / np.linalg.norm(vector)

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        raise AssertionError("documents must not be embedded in these tests")


@dataclass
class Sample:
    """The ingested sample: its container (fake query embedder inside), workspace and settings."""

    container: Container
    workspace: int
    settings: Settings

    def rows(self, sql: str, **params: Any) -> list[Any]:
        """Rows of a read-only SQL query on the sample database."""
        with session_scope(self.container.sessions) as session:
            return list(session.execute(text(sql), params).all())


def sample_settings(home: Path) -> Settings:
    """Settings of a private home with SQLite, the local embedder, no LLM, no background embedding."""
    settings = Settings()
    settings.app.home = home
    settings.app.log_level = "WARNING"
    settings.database.url = f"sqlite:///{home / 'jurisgraph.db'}"
    settings.embedding.provider = "local"
    settings.llm.provider = "none"
    settings.pipeline.embed_on_start = False
    return settings


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    """The whole bundled sample ingested once (about 20 s), sparse vectors only."""
    home = tmp_path_factory.mktemp("ask-home")
    settings = sample_settings(home)
    migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    signature = build_embedder("local", model=settings.embedding.model, dim=settings.embedding.dim).signature
    container.provide(embedder=QueryEmbedder(signature))
    try:
        datasets.load_sample(container, dense=False)
        with session_scope(container.sessions) as session:
            workspace = ensure_public_workspace(session)
        yield Sample(container, workspace, settings)
    finally:
        container.close()


def sample_tema(number: int) -> dict[str, str]:
    """The row of a tema in the bundled temas.csv (ISO-8859-1, ``;``), by column name."""
    rows = list(
        csv.reader(
            io.StringIO(
                (SAMPLE / "precedentes-qualificados" / "temas.csv").read_bytes().decode("iso-8859-1")
            ),
            delimiter=";",
        )
    )
    header = rows[0]
    for row in rows[1:]:
        record = dict(zip(header, row, strict=True))
        if record["tipoPrecedente"].upper() == "TEMA" and record["numeroPrecedente"] == str(number):
            return record
    raise LookupError(f"tema {number} is not in the sample")


def flat(value: str) -> str:
    """White space collapsed (answers flatten line breaks)."""
    return " ".join(value.split())

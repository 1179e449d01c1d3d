"""Migrate a real Chroma store of STJ temas, then verify recall; a corrupted index must fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jurisgraph.engine.vectors import CollectionSpec, VectorPoint
from jurisgraph.errors import DimensionMismatch, InvalidInput
from jurisgraph.runtime import Container
from jurisgraph.vectors_ops import service
from tests.fixtures.vectors import Tema, seeded_vectors

chromadb = pytest.importorskip("chromadb")

CHROMA_DIM = 48
CHROMA_NAME = "temas"
TARGET = CollectionSpec("chunks", f"chroma-{CHROMA_NAME}", CHROMA_DIM)


def build_chroma(path: Path, temas: list[Tema]) -> np.ndarray[Any, Any]:
    """A Chroma store with one record per tema: thesis as document, seeded vectors, metadata."""
    from chromadb.config import Settings

    vectors = seeded_vectors(len(temas), CHROMA_DIM, seed=11)
    client = chromadb.PersistentClient(path=str(path), settings=Settings(anonymized_telemetry=False))
    collection = client.get_or_create_collection(
        CHROMA_NAME, embedding_function=None, metadata={"hnsw:space": "cosine"}
    )
    collection.add(
        ids=[t.point_id for t in temas],
        embeddings=vectors.tolist(),
        documents=[t.tese for t in temas],
        metadatas=[
            {"numero": int(t.numero), "orgao": t.orgao, "situacao": t.situacao, "text": "metadata text"}
            for t in temas
        ],
    )
    return vectors


@pytest.fixture
def store(tmp_path: Path, temas: list[Tema]) -> tuple[Path, np.ndarray[Any, Any]]:
    path = tmp_path / "chroma"
    return path, build_chroma(path, temas)


def test_migration_copies_ids_vectors_documents_and_metadata(
    container: Container, temas: list[Tema], store: tuple[Path, np.ndarray[Any, Any]]
) -> None:
    path, vectors = store
    report = service.migrate_chroma(container, path, workspace_id=1, batch=100)
    index = container.vector_index()
    assert (report.source, report.collection, report.points, report.dim) == (
        CHROMA_NAME,
        TARGET.name,
        len(temas),
        CHROMA_DIM,
    )
    assert index.count(TARGET.name) == len(temas)
    sample = [temas[0], temas[137], temas[-1]]
    points = {p.id: p for p in index.retrieve(TARGET.name, [t.point_id for t in sample], with_vectors=True)}
    for tema in sample:
        point = points[tema.point_id]
        assert point.payload["text"] == tema.tese
        assert point.payload["numero"] == int(tema.numero)
        assert point.payload["orgao"] == tema.orgao
        assert point.payload["chroma_text"] == "metadata text"
        assert point.payload["workspace_id"] == 1 and point.payload["chunk_id"] == tema.point_id
        assert point.sparse is not None and len(point.sparse) > 0
        row = vectors[temas.index(tema)]
        assert np.allclose(np.asarray(point.dense), row / np.linalg.norm(row), atol=1e-5)


def test_sparse_vectors_are_computed_from_the_documents(
    container: Container, temas: list[Tema], store: tuple[Path, np.ndarray[Any, Any]]
) -> None:
    service.migrate_chroma(container, store[0])
    encoder = container.sparse_encoder()
    tema = temas[42]
    hits = container.vector_index().search_sparse(TARGET.name, encoder.encode_query(tema.tese), limit=3)
    assert hits[0].id == tema.point_id


def test_verify_passes_after_migration_and_fails_after_corruption(
    container: Container, temas: list[Tema], store: tuple[Path, np.ndarray[Any, Any]]
) -> None:
    path = store[0]
    service.migrate_chroma(container, path, to=TARGET.name)
    index = container.vector_index()
    index.optimize(TARGET.name)
    against = f"chroma:{path}#{CHROMA_NAME}"
    good = service.verify(container, collection=TARGET.name, against=against, sample=60, k=10)
    assert good.passed, good
    assert good.recall >= 0.95 and good.self_hit == 1.0
    assert good.target_count == good.source_count == len(temas)

    victims = temas[::4]
    noise = np.random.default_rng(99).standard_normal((len(victims), CHROMA_DIM))
    old = {p.id: p for p in index.retrieve(TARGET.name, [t.point_id for t in victims], with_vectors=True)}
    index.upsert(
        TARGET,
        [
            VectorPoint(
                id=t.point_id, dense=noise[i], sparse=old[t.point_id].sparse, payload=old[t.point_id].payload
            )
            for i, t in enumerate(victims)
        ],
    )
    bad = service.verify(container, collection=TARGET.name, against=against, sample=60, k=10)
    assert not bad.passed
    assert bad.recall < 0.95 and bad.self_hit < 0.9
    assert bad.counts_match
    corrupted = {t.point_id for t in victims}
    assert {point_id for point_id, _ in bad.worst} & corrupted
    # against itself the corrupted vectors are the truth: the index is internally consistent
    assert service.verify(container, collection=TARGET.name, sample=30, k=10).recall >= 0.95


def test_verify_against_an_export_file_and_a_missing_point(
    container: Container, temas: list[Tema], store: tuple[Path, np.ndarray[Any, Any]], tmp_path: Path
) -> None:
    service.migrate_chroma(container, store[0])
    out = tmp_path / "source.jsonl"
    service.export(container, out, collection=TARGET.name)
    container.vector_index().delete(TARGET.name, [temas[3].point_id])
    report = service.verify(container, collection=TARGET.name, against=str(out), sample=40, k=5)
    assert report.source_count == len(temas) and report.target_count == len(temas) - 1
    assert not report.counts_match and not report.passed


def test_verify_refuses_a_source_of_another_dimension(
    filled: Container, temas: list[Tema], store: tuple[Path, np.ndarray[Any, Any]]
) -> None:
    with pytest.raises(DimensionMismatch, match="48-d"):
        service.verify(filled, against=f"chroma:{store[0]}", sample=5, k=5)


def test_an_unnamed_collection_in_a_store_with_several_is_refused(
    container: Container, store: tuple[Path, np.ndarray[Any, Any]]
) -> None:
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=str(store[0]), settings=Settings(anonymized_telemetry=False))
    client.get_or_create_collection("outra", embedding_function=None)
    with pytest.raises(InvalidInput, match="2 collections"):
        service.migrate_chroma(container, store[0])

"""Íntegras without their full text (one line of structured fields) get a sparse point and never a
dense vector; íntegras whose full text came from the day's ZIP get both; nothing waits for the
vectors that will never come (pending counts, resource status, background job, Painel)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from jurisgraph.datasets import service, views
from jurisgraph.db import session_scope
from jurisgraph.engine.vectors import CHUNK_KIND
from jurisgraph.models import Chunk, Document, Resource
from jurisgraph.pipeline.stages.index import chunk_text_for_embedding
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container
from tests.fakes.openai_server import EMBEDDINGS, FakeOpenAIServer
from tests.fixtures.homes import container_at
from tests.fixtures.mirrors import INTEGRAS, SAMPLE, write_mirror

METADATA = "metadados20230104.json"
FULL_TEXT = (
    "ACÓRDÃO. Vistos e relatados estes autos, a Turma, por unanimidade, negou provimento ao agravo "
    "interno, nos termos do art. 85, § 2º, do CPC/2015 e da Súmula 7/STJ."
)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(dim=64) as fake:
        yield fake


def integras_mirror(folder: Path) -> tuple[Path, str, int]:
    """The real metadata of one day (12 records) and a ZIP holding the full text of its first
    record only; returns the mirror, that record's document key and the number of records."""
    metadata = (SAMPLE / INTEGRAS / METADATA).read_bytes()
    records = json.loads(metadata)
    seq = str(records[0].get("seqDocumento") or records[0].get("SeqDocumento"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{seq}.txt", FULL_TEXT.encode("utf-8"))
    files = {INTEGRAS: {METADATA: metadata, "20230104.zip": buffer.getvalue()}}
    distinct = len({str(r.get("seqDocumento") or r.get("SeqDocumento")) for r in records})
    return write_mirror(folder, files, catalog=False), f"integra:{seq}", distinct


def chunks_by_document(container: Container) -> dict[str, list[tuple[str, str]]]:
    """Document key → (chunk id, text embedded for the chunk) of its chunks."""
    found: dict[str, list[tuple[str, str]]] = {}
    with session_scope(container.sessions) as session:
        for chunk, doc in session.execute(select(Chunk, Document).join(Document)):
            found.setdefault(doc.key, []).append((chunk.id, chunk_text_for_embedding(doc.title, chunk.text)))
    return found


def embedded_texts(server: FakeOpenAIServer) -> set[str]:
    return {text for request in server.requests(EMBEDDINGS) for text in FakeOpenAIServer.inputs(request)}


def test_only_the_integra_with_its_full_text_gets_a_dense_vector(
    tmp_path: Path, empty_db_url: str, server: FakeOpenAIServer
) -> None:
    server.reset()
    mirror, full_key, records = integras_mirror(tmp_path / "mirror")
    with container_at(
        tmp_path / "home",
        empty_db_url,
        JURISGRAPH_EMBEDDING_PROVIDER="openai",
        JURISGRAPH_EMBEDDING_MODEL="fake-embed",
        JURISGRAPH_EMBEDDING_DIM="64",
        JURISGRAPH_EMBEDDING_BASE_URL=server.base_url,
        JURISGRAPH_PIPELINE_EMBED_ON_START="false",
        OPENAI_API_KEY=server.api_key,
    ) as container:
        assert service.ingest(container, str(mirror), ResourceFilter(), dense=False).problems == []
        chunks = chunks_by_document(container)
        assert len(chunks) == records and len(chunks[full_key]) >= 1
        full = {chunk_id for chunk_id, _ in chunks[full_key]}
        metadata_only = {i for key, pairs in chunks.items() if key != full_key for i, _ in pairs}
        with session_scope(container.sessions) as session:
            # only the full text waits for a dense vector; the rule reads the same in SQL and Python
            assert service.pending_dense(session) == len(full)
            wanted = set(session.scalars(select(Document.key).where(Document.dense_wanted)))
            in_python = {d.key for d in session.scalars(select(Document)) if d.dense_wanted}
            assert wanted == in_python == {full_key}

        report = service.index(container, dense=True)
        assert report.dense_points == len(full)
        points = {p.id: p for p in container.vector_index().scroll(CHUNK_KIND)}
        assert set(points) == full | metadata_only  # every chunk is found by its sparse vector
        assert all(points[i].sparse for i in points)
        assert {i for i, p in points.items() if p.dense is not None} == full
        texts = embedded_texts(server)
        assert {text for _, text in chunks[full_key]} <= texts
        assert not texts & {text for key, pairs in chunks.items() if key != full_key for _, text in pairs}

        with session_scope(container.sessions) as session:
            assert service.pending_dense(session) == 0
            assert service.start_background_embedding(session, container) is None
            statuses = {r.status for r in session.scalars(select(Resource).where(Resource.record_count > 0))}
            counts = views.corpus_stats(session)
        assert statuses == {"embedded"}
        assert (counts["dense_chunks"], counts["dense_pending"]) == (len(full), 0)

        # another dense pass has nothing to do: the metadata lines are not waiting
        server.reset()
        assert service.index(container, dense=True).dense_points == 0
        assert embedded_texts(server) <= {text for _, text in chunks[full_key]}

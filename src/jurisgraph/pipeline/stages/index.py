"""index: chunks, entities and community reports into the vector store.

Sparse (BM25-style) vectors cost almost nothing, so every pending point is written first
with its sparse vector and full citation payload: the corpus is searchable at once. Dense
vectors are then filled in behind, batch by batch, through the content-hash embedding
cache (a text is never embedded twice). ``chunks.embedded_at`` marks chunks whose dense
vector is stored; resources move ``embedding`` → ``embedded``. Chunks whose document gets no
dense vector (íntegras without their full text: :mod:`jurisgraph.engine.dense_chunks`) have
their sparse point only and never wait for the dense pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog

from jurisgraph.db import session_scope
from jurisgraph.engine.documents import PageSpan, page_of
from jurisgraph.engine.embedding import CachedEmbedder, Embedder
from jurisgraph.engine.legal import parse_processo
from jurisgraph.engine.vectors import CHUNK_KIND, CollectionSpec, Filter, VectorIndex, VectorPoint
from jurisgraph.metrics import measured_stage
from jurisgraph.models import Chunk, Document, utcnow
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.embedding_cache import SqlEmbeddingCache
from jurisgraph.pipeline.logs import logged_action
from jurisgraph.pipeline.repository import catalogue
from jurisgraph.pipeline.repository import vectors as repository
from jurisgraph.pipeline.stages import index_graph

log = structlog.get_logger(__name__)

SPARSE_BATCH = 512
#: ``documents.kind`` of an uploaded file: its chunks carry their page
UPLOAD_KIND = "upload"


@dataclass
class IndexReport:
    """What an index run wrote."""

    sparse_points: int = 0
    dense_points: int = 0
    deleted_documents: int = 0
    entities: int = 0
    reports: int = 0


def chunk_spec(embedder: Embedder, kind: str = CHUNK_KIND) -> CollectionSpec:
    """The physical collection of ``kind`` for the configured model."""
    signature = embedder.signature
    return CollectionSpec(kind=kind, model=signature.slug, dim=signature.dim)


def live_spec(index: VectorIndex, embedder: Embedder, kind: str = CHUNK_KIND) -> CollectionSpec:
    """Create the collection of ``kind`` if needed and point its alias at it when unset."""
    spec = chunk_spec(embedder, kind)
    index.ensure_collection(spec)
    if index.resolve_alias(spec.alias) is None:
        index.set_alias(spec.alias, spec)
    return spec


def chunk_text_for_embedding(title: str, text: str) -> str:
    """What is embedded for a chunk: its document's title, then its text."""
    return f"{title}\n{text}" if title else text


@measured_stage("index")
def run(ctx: PipelineContext, *, dense: bool = True, batch: int | None = None) -> IndexReport:
    """Write sparse points for every chunk not indexed yet, then (``dense``) their dense vectors."""
    container = ctx.container
    index = container.vector_index()
    embedder = container.embedder()
    spec = live_spec(index, embedder)
    report = IndexReport()
    # in a server, requests go first: the background embedder stands aside while they run
    background = container.background_embedder()
    cached = background if ctx.private else CachedEmbedder(background, SqlEmbeddingCache(container.sessions))
    with logged_action(container.sessions, "generate_embeddings", job_id=ctx.job_id) as counts:
        report.sparse_points = _write_sparse(ctx, index, spec)
        if dense:
            report.dense_points = _write_dense(
                ctx, index, spec, cached, batch or container.settings.embedding.batch_size
            )
        graph_dense = dense and container.settings.pipeline.index_entities_dense
        report.entities, report.reports = index_graph.run(
            ctx, index, cached if graph_dense else None, lambda kind: chunk_spec(embedder, kind)
        )
        counts.embeddings_generated = report.dense_points
        counts.records_processed = report.sparse_points
        counts.details.append(
            f"{spec.name}: {report.sparse_points} sparse points, {report.dense_points} dense vectors; "
            f"{report.entities} entities, {report.reports} community reports"
        )
    if not ctx.private:
        _update_resource_status(ctx)
    return report


def delete_documents(ctx: PipelineContext, document_ids: Sequence[int]) -> None:
    """Remove the points of deleted or replaced documents from the live chunk collection."""
    if not document_ids:
        return
    index = ctx.container.vector_index()
    alias = CHUNK_KIND
    if index.resolve_alias(alias) is None:
        return
    for start in range(0, len(document_ids), 500):
        part = [int(d) for d in document_ids[start : start + 500]]
        index.delete_by_filter(alias, Filter.where(document_id=part))


def _pages(
    ctx: PipelineContext, *, sparse: bool, size: int
) -> Iterator[list[tuple[Chunk, Document, str | None]]]:
    after = ""
    while True:
        with session_scope(ctx.container.sessions) as session:
            rows = repository.pending_chunks(
                session, ctx.workspace_id, sparse=sparse, limit=size, after=after
            )
        if not rows:
            return
        after = rows[-1][0].id
        yield rows


def _count_pending(ctx: PipelineContext, *, sparse: bool) -> int:
    with session_scope(ctx.container.sessions) as session:
        return repository.count_pending(session, ctx.workspace_id, sparse=sparse)


def _write_sparse(ctx: PipelineContext, index: VectorIndex, spec: CollectionSpec) -> int:
    encoder = ctx.container.sparse_encoder()
    total = _count_pending(ctx, sparse=True)
    written = 0
    for rows in _pages(ctx, sparse=True, size=SPARSE_BATCH):
        texts = [chunk_text_for_embedding(doc.title, chunk.text) for chunk, doc, _ in rows]
        vectors = encoder.encode_documents(texts)
        entities = _chunk_entities(ctx, [chunk.id for chunk, _, _ in rows])
        points = [
            VectorPoint(
                id=chunk.id, sparse=vector, payload=payload(chunk, doc, slug, entities.get(chunk.id, []))
            )
            for (chunk, doc, slug), vector in zip(rows, vectors, strict=True)
        ]
        index.upsert(spec, points)
        _mark(ctx, [chunk.id for chunk, _, _ in rows], indexed=True)
        written += len(points)
        ctx.progress("index", written, total, "sparse")
    return written


def _write_dense(
    ctx: PipelineContext, index: VectorIndex, spec: CollectionSpec, embedder: Embedder, batch: int
) -> int:
    total = _count_pending(ctx, sparse=False)
    written = 0
    for rows in _pages(ctx, sparse=False, size=max(batch, 1)):
        if ctx.should_stop():
            log.info("dense_indexing_stopped", written=written, total=total)
            break
        texts = [chunk_text_for_embedding(doc.title, chunk.text) for chunk, doc, _ in rows]
        matrix = embedder.embed_documents(texts)
        index.update_dense(spec, {chunk.id: matrix[i] for i, (chunk, _, _) in enumerate(rows)})
        _mark(ctx, [chunk.id for chunk, _, _ in rows], indexed=False)
        written += len(rows)
        ctx.progress("embed", written, total, "dense")
    return written


def _mark(ctx: PipelineContext, ids: list[str], *, indexed: bool) -> None:
    """Record progress; a (re)written sparse point has no dense vector until the dense pass."""
    values: dict[str, datetime | None] = (
        {"indexed_at": utcnow(), "embedded_at": None} if indexed else {"embedded_at": utcnow()}
    )
    with session_scope(ctx.container.sessions) as session:
        repository.mark_chunks(session, ids, values)


def _chunk_entities(ctx: PipelineContext, chunk_ids: list[str]) -> dict[str, list[str]]:
    """Canonical keys of the entities found in each chunk (structured facts sit on chunk 0)."""
    found: dict[str, set[str]] = {}
    with session_scope(ctx.container.sessions) as session:
        rows = repository.chunk_nodes(session, chunk_ids)
    for chunk_id, target in rows:
        if chunk_id is not None:
            found.setdefault(chunk_id, set()).add(target)
    return {key: sorted(values) for key, values in found.items()}


def payload(
    chunk: Chunk, doc: Document, dataset: str | None, entities: list[str] | None = None
) -> dict[str, Any]:
    """Everything a citation needs, stored with the point (filters use the indexed fields).

    ``entities`` are the canonical keys found in the chunk: a query naming an identifier
    (Tema 1.076, Súmula 7/STJ, REsp 1.465.535/SP) is matched on them exactly.
    """
    meta = doc.metadata_ or {}
    upload = doc.kind == UPLOAD_KIND
    spans = pages_of(meta.get("pages"), chunk.start, chunk.end)  # uploads and public documents
    return {
        "workspace_id": str(chunk.workspace_id),  # keyword-indexed tenant key
        "chunk_id": chunk.id,
        "document_id": doc.id,
        "document_key": doc.key,
        "kind": doc.kind,
        "dataset": dataset or "",
        "title": doc.title,
        "processo": doc.processo,
        "classe": doc.classe,
        "relator": doc.relator,
        "orgao_julgador": doc.orgao_julgador,
        "date": _iso(doc.data_decisao) or _iso(doc.data_publicacao),
        "temas": meta.get("temas") or [],
        "source_url": upload_url(doc.id) if upload else doc.source_url,
        "page": spans[0][0] if spans else None,
        "pages": spans,
        "start": chunk.start,
        "end": chunk.end,
        "text": chunk.text,
        "entities": entities or [],
        "subjects": subjects(doc),
    }


def upload_url(document_id: int) -> str:
    """Where an uploaded document opens (its page on Documentos; ``?pagina=N`` opens page N)."""
    return f"/documentos/{document_id}"


def pages_of(pages: Any, start: int, end: int) -> list[list[int]]:
    """``[number, start, end]`` of the pages of an uploaded document (its stored page spans,
    ``metadata["pages"]``: ``{number, start, end}``) that the span ``start:end`` touches, the
    page holding ``start`` first; empty when the document has none."""
    if not isinstance(pages, list) or not pages:
        return []
    spans = [PageSpan(int(p["number"]), int(p["start"]), int(p["end"])) for p in pages]
    first = page_of(spans, start)
    return [
        [s.number, s.start, s.end] for s in spans if s.number == first or (s.number > first and s.start < end)
    ]


def subjects(doc: Document) -> list[str]:
    """Keys of what the document is about: the tema itself, or its own process."""
    keys = [doc.key] if doc.kind == "tema" else []
    ref = parse_processo(doc.processo) if doc.processo else None
    if ref is not None:
        keys += sorted({ref.key, ref.main_key})
    return keys


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value.isoformat())


def _update_resource_status(ctx: PipelineContext) -> None:
    """``embedded`` for resources none of whose chunks waits for a dense vector, ``embedding`` otherwise."""
    with session_scope(ctx.container.sessions) as session:
        pending = repository.chunks_without_dense(session, ctx.workspace_id)
        for row in catalogue.resources_in_status(session, ("entities_extracted", "embedding", "embedded")):
            row.status = "embedding" if pending.get(row.id) else "embedded"
            if row.status == "embedded" and row.embedded_at is None:
                row.embedded_at = utcnow()

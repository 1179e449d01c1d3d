"""Queries of the vector index's bookkeeping: which chunks have sparse points and dense
vectors (``chunks.indexed_at``, ``chunks.embedded_at``), and the ``embedding_cache``.

A chunk waits for a dense vector only when its document wants one (``Document.dense_wanted``,
:mod:`jurisgraph.engine.dense_chunks`); the others have a sparse point and nothing more to come."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jurisgraph.errors import Conflict
from jurisgraph.models import Chunk, Dataset, Document, EmbeddingCacheEntry, Mention, Resource
from jurisgraph.pipeline.repository import in_batches


def _waiting(sparse: bool) -> Any:
    """Chunks without a sparse point, or waiting for a dense vector (joined to their document)."""
    return Chunk.indexed_at.is_(None) if sparse else and_(Chunk.embedded_at.is_(None), Document.dense_wanted)


def pending_chunks(
    session: Session, workspace_id: int, *, sparse: bool, limit: int, after: str
) -> list[tuple[Chunk, Document, str | None]]:
    """(chunk, document, dataset slug) of up to ``limit`` chunks of the workspace with ids after
    ``after``, in id order, that have no sparse point (``sparse``) or wait for a dense vector."""
    query = (
        select(Chunk, Document, Dataset.slug)
        .join(Document, Document.id == Chunk.document_id)
        .join(Resource, Resource.id == Document.resource_id, isouter=True)
        .join(Dataset, Dataset.id == Resource.dataset_id, isouter=True)
        .where(Chunk.workspace_id == workspace_id, Chunk.id > after, _waiting(sparse))
    )
    return [(chunk, doc, slug) for chunk, doc, slug in session.execute(query.order_by(Chunk.id).limit(limit))]


def count_pending(session: Session, workspace_id: int, *, sparse: bool) -> int:
    """How many chunks of the workspace have no sparse point (``sparse``) or wait for a dense vector."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Chunk)
            .join(Document, Document.id == Chunk.document_id)
            .where(Chunk.workspace_id == workspace_id, _waiting(sparse))
        )
        or 0
    )


def mark_chunks(session: Session, chunk_ids: Sequence[str], values: dict[str, datetime | None]) -> None:
    """Set the bookkeeping columns ``values`` (``indexed_at``, ``embedded_at``) of the given chunks."""
    session.execute(update(Chunk).where(Chunk.id.in_(chunk_ids)).values(values))


def chunk_nodes(session: Session, chunk_ids: Sequence[str]) -> list[tuple[str | None, str]]:
    """(chunk id, node id) of the node mentions located in the given chunks."""
    rows = session.execute(
        select(Mention.chunk_id, Mention.target_id).where(
            Mention.chunk_id.in_(chunk_ids), Mention.target_kind == "node"
        )
    )
    return [(chunk_id, target) for chunk_id, target in rows]


def chunks_without_dense(session: Session, workspace_id: int) -> dict[int | None, int]:
    """Resource row id → how many of its chunks in the workspace still wait for a dense vector."""
    rows = session.execute(
        select(Document.resource_id, func.count(Chunk.id))
        .join(Chunk, Chunk.document_id == Document.id)
        .where(Document.workspace_id == workspace_id, _waiting(sparse=False))
        .group_by(Document.resource_id)
    )
    return {resource_id: count for resource_id, count in rows}


def cached_vectors(session: Session, signature: str, hashes: Sequence[str]) -> list[tuple[str, bytes]]:
    """(content hash, vector bytes) of the cached embeddings of model ``signature`` among ``hashes``."""
    found: list[tuple[str, bytes]] = []
    for part in in_batches(hashes):
        rows = session.execute(
            select(EmbeddingCacheEntry.content_hash, EmbeddingCacheEntry.vector).where(
                EmbeddingCacheEntry.signature == signature, EmbeddingCacheEntry.content_hash.in_(part)
            )
        )
        found.extend((content_hash, blob) for content_hash, blob in rows)
    return found


def add_cached_vectors(session: Session, entries: Sequence[EmbeddingCacheEntry]) -> None:
    """Insert cache entries now; :class:`Conflict` when another writer stored one of them first
    (the session must then be rolled back)."""
    session.add_all(entries)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("an embedding was cached concurrently") from exc


def merge_cached_vectors(session: Session, entries: Sequence[EmbeddingCacheEntry]) -> None:
    """Insert or overwrite cache entries one by one."""
    for entry in entries:
        session.merge(entry)

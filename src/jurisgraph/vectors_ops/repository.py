"""Queries of vector operations: the chunks a re-index embeds, with their documents and entities."""

from __future__ import annotations

from sqlalchemy import func, select

from jurisgraph.db import Session
from jurisgraph.models import Chunk, Dataset, Document, Mention, Resource


def count_chunks(session: Session) -> int:
    """Chunks in the database (every workspace)."""
    return int(session.scalar(select(func.count()).select_from(Chunk)) or 0)


def chunks_after(session: Session, after: str, size: int) -> list[tuple[Chunk, Document, str | None]]:
    """Up to ``size`` chunks with ids after ``after``, in id order, each with its document and the
    slug of its dataset (None for uploads)."""
    rows = session.execute(
        select(Chunk, Document, Dataset.slug)
        .join(Document, Document.id == Chunk.document_id)
        .join(Resource, Resource.id == Document.resource_id, isouter=True)
        .join(Dataset, Dataset.id == Resource.dataset_id, isouter=True)
        .where(Chunk.id > after)
        .order_by(Chunk.id)
        .limit(size)
    ).all()
    return [(chunk, document, slug) for chunk, document, slug in rows]


def chunk_entities(session: Session, chunk_ids: list[str]) -> dict[str, list[str]]:
    """Keys of the entities mentioned in each chunk, sorted."""
    found: dict[str, set[str]] = {}
    rows = session.execute(
        select(Mention.chunk_id, Mention.target_id).where(
            Mention.chunk_id.in_(chunk_ids), Mention.target_kind == "node"
        )
    )
    for chunk_id, target in rows:
        if chunk_id is not None:
            found.setdefault(chunk_id, set()).add(target)
    return {key: sorted(values) for key, values in found.items()}

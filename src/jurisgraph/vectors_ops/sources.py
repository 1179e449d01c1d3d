"""What a re-index embeds: chunks from the database, or the points of the live collection.

Either way an item is our point id, the text to embed (``chunk_text_for_embedding``), the
payload to store and, for live points, the sparse vector already computed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jurisgraph.db import session_scope
from jurisgraph.engine.vectors import SparseVector, VectorIndex
from jurisgraph.models import Chunk, Dataset, Document, Mention, Resource
from jurisgraph.pipeline.stages.index import chunk_text_for_embedding, payload


@dataclass(frozen=True, slots=True)
class Item:
    """One point to rebuild: id, text to embed, payload, and its sparse vector when already known."""

    id: str
    text: str
    payload: dict[str, Any]
    sparse: SparseVector | None = None


def count_chunks(sessions: sessionmaker[Session]) -> int:
    """Chunks in the database (every workspace)."""
    with session_scope(sessions) as session:
        return int(session.scalar(select(func.count()).select_from(Chunk)) or 0)


def chunk_pages(sessions: sessionmaker[Session], size: int) -> Iterator[list[Item]]:
    """Every chunk with the payload the index stage writes, ``size`` at a time, in id order."""
    after = ""
    while True:
        with session_scope(sessions) as session:
            rows = list(
                session.execute(
                    select(Chunk, Document, Dataset.slug)
                    .join(Document, Document.id == Chunk.document_id)
                    .join(Resource, Resource.id == Document.resource_id, isouter=True)
                    .join(Dataset, Dataset.id == Resource.dataset_id, isouter=True)
                    .where(Chunk.id > after)
                    .order_by(Chunk.id)
                    .limit(size)
                ).all()
            )
            if not rows:
                return
            entities = _entities(session, [chunk.id for chunk, _, _ in rows])
            items = [
                Item(
                    id=chunk.id,
                    text=chunk_text_for_embedding(doc.title, chunk.text),
                    payload=payload(chunk, doc, slug, entities.get(chunk.id, [])),
                )
                for chunk, doc, slug in rows
            ]
        after = items[-1].id
        yield items


def _entities(session: Session, chunk_ids: list[str]) -> dict[str, list[str]]:
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


def live_pages(index: VectorIndex, collection: str, size: int) -> Iterator[list[Item]]:
    """The points of ``collection`` with their payload text (title, then text) to embed again."""
    page: list[Item] = []
    for point in index.scroll(collection, batch=size):
        data = dict(point.payload)
        text = chunk_text_for_embedding(str(data.get("title") or ""), str(data.get("text") or ""))
        page.append(Item(point.id, text, data, point.sparse))
        if len(page) >= size:
            yield page
            page = []
    if page:
        yield page

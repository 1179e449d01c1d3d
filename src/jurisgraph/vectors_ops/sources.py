"""What a re-index embeds: chunks from the database, or the points of the live collection.

Either way an item is our point id, the text to embed (``chunk_text_for_embedding``), the
payload to store, whether it gets a dense vector (:mod:`jurisgraph.engine.dense_chunks`) and,
for live points, the sparse vector already computed. A re-index is a
batch command: each page of chunks is read in a transaction of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jurisgraph.db import Session, session_scope, sessionmaker
from jurisgraph.engine.dense_chunks import FULL_TEXT_FLAG, wants_dense
from jurisgraph.engine.vectors import SparseVector, VectorIndex, VectorPoint
from jurisgraph.pipeline.stages.index import chunk_text_for_embedding, payload
from jurisgraph.vectors_ops import repository


@dataclass(frozen=True, slots=True)
class Item:
    """One point to rebuild: id, text to embed, payload, its sparse vector when already known, and
    whether it gets a dense vector."""

    id: str
    text: str
    payload: dict[str, Any]
    sparse: SparseVector | None = None
    dense: bool = True


def count_chunks(sessions: sessionmaker[Session]) -> int:
    """Chunks in the database (every workspace)."""
    with session_scope(sessions) as session:
        return repository.count_chunks(session)


def chunk_pages(sessions: sessionmaker[Session], size: int) -> Iterator[list[Item]]:
    """Every chunk with the payload the index stage writes, ``size`` at a time, in id order."""
    after = ""
    while True:
        with session_scope(sessions) as session:
            rows = repository.chunks_after(session, after, size)
            if not rows:
                return
            entities = repository.chunk_entities(session, [chunk.id for chunk, _, _ in rows])
            items = [
                Item(
                    id=chunk.id,
                    text=chunk_text_for_embedding(doc.title, chunk.text),
                    payload=payload(chunk, doc, slug, entities.get(chunk.id, [])),
                    dense=wants_dense(doc.kind, doc.metadata_),
                )
                for chunk, doc, slug in rows
            ]
        after = items[-1].id
        yield items


def live_pages(index: VectorIndex, collection: str, size: int) -> Iterator[list[Item]]:
    """The points of ``collection`` with their payload text (title, then text) to embed again."""
    page: list[Item] = []
    for point in index.scroll(collection, batch=size):
        data = dict(point.payload)
        text = chunk_text_for_embedding(str(data.get("title") or ""), str(data.get("text") or ""))
        page.append(Item(point.id, text, data, point.sparse, live_dense(point)))
        if len(page) >= size:
            yield page
            page = []
    if page:
        yield page


def live_dense(point: VectorPoint) -> bool:
    """:func:`~jurisgraph.engine.dense_chunks.wants_dense` for a stored point: the payload has the
    document's kind but not its metadata, so an íntegra's point keeps a dense vector when it has one."""
    return wants_dense(str(point.payload.get("kind") or ""), {FULL_TEXT_FLAG: point.dense is not None})

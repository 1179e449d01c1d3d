"""Writing documents, chunks and mentions, and removing them exactly.

All functions work inside the caller's session (the caller commits). ``Targets`` are the
``(kind, id)`` pairs of nodes and edges whose aggregate must be recomputed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from jurisgraph.db import insert_rows
from jurisgraph.models import Base, Chunk, Document, Mention, utcnow
from jurisgraph.pipeline.provenance import MENTION_FIELDS
from jurisgraph.pipeline.record_rows import CHUNK_FIELDS, DOCUMENT_FIELDS, PreparedDocument

BATCH = 500

Targets = set[tuple[str, str]]


@dataclass
class StoreStats:
    """Counts of one write."""

    inserted: int = 0
    unchanged: int = 0
    replaced: int = 0
    deleted: int = 0
    chunks: int = 0
    entities: int = 0
    relations: int = 0
    dropped_relations: int = 0
    touched: Targets = field(default_factory=set)
    removed_document_ids: list[int] = field(default_factory=list)
    #: the contributions this write stored, by target: JSON text → summed mention count. Lets
    #: the graph stage build targets that are new in this run without reading them back.
    contributions: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)


def _in_batches(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def targets_of(session: Session, document_ids: Sequence[int]) -> Targets:
    """Every node and edge the given documents contributed to."""
    found: Targets = set()
    for part in _in_batches(document_ids):
        rows = session.execute(
            select(Mention.target_kind, Mention.target_id).where(Mention.document_id.in_(part)).distinct()
        )
        found.update((kind, target) for kind, target in rows)
    return found


def delete_documents(session: Session, document_ids: Sequence[int]) -> Targets:
    """Delete documents with their chunks and mentions; return the targets to recompute."""
    touched = targets_of(session, document_ids)
    for part in _in_batches(document_ids):
        session.execute(delete(Mention).where(Mention.document_id.in_(part)))
        session.execute(delete(Chunk).where(Chunk.document_id.in_(part)))
        session.execute(delete(Document).where(Document.id.in_(part)))
    return touched


def plan_resource(
    session: Session, *, workspace_id: int, resource_id: int | None, hashes: Mapping[str, str]
) -> tuple[set[str], StoreStats]:
    """Make room for a resource's documents (``hashes``: key → content hash); returns the keys to write.

    Unchanged documents (same content hash) are left alone, and taken over when stored under
    another resource (the later file wins); changed ones are deleted to be written again;
    documents of the resource that are no longer present are deleted.
    """
    stats = StoreStats()
    existing: dict[str, tuple[int, str, int | None]] = {}
    if resource_id is not None:
        for doc_id, key, chash, rid in session.execute(
            select(Document.id, Document.key, Document.content_hash, Document.resource_id).where(
                Document.workspace_id == workspace_id, Document.resource_id == resource_id
            )
        ):
            existing[key] = (doc_id, chash, rid)
    keys = [k for k in hashes if k not in existing]
    for part in _in_batches(keys):
        for doc_id, key, chash, rid in session.execute(
            select(Document.id, Document.key, Document.content_hash, Document.resource_id).where(
                Document.workspace_id == workspace_id, Document.key.in_(part)
            )
        ):
            existing[key] = (doc_id, chash, rid)
    stale = [doc_id for key, (doc_id, _, rid) in existing.items() if key not in hashes and rid == resource_id]
    write: set[str] = set()
    taken_over: list[int] = []
    for key, chash in hashes.items():
        found = existing.get(key)
        if found is not None and found[1] == chash:
            if found[2] != resource_id:
                taken_over.append(found[0])
            stats.unchanged += 1
            continue
        if found is not None:
            stale.append(found[0])
            stats.replaced += 1
        else:
            stats.inserted += 1
        write.add(key)
    for part in _in_batches(taken_over):
        session.execute(update(Document).where(Document.id.in_(part)).values(resource_id=resource_id))
    stats.deleted = len(stale) - stats.replaced
    stats.touched |= delete_documents(session, stale)
    stats.removed_document_ids = list(stale)
    return write, stats


def write_documents(
    session: Session,
    *,
    workspace_id: int,
    resource_id: int | None,
    documents: Sequence[PreparedDocument],
    stats: StoreStats,
    status: str = "entities_extracted",
) -> None:
    """Insert prepared documents with their chunks and mentions, and count them into ``stats``.

    The caller passes only documents :func:`plan_resource` said to write. Every mention's
    contribution is added to ``stats.contributions`` (see :class:`StoreStats`).
    """
    if not documents:
        return
    now = utcnow()
    insert_rows(
        session,
        _table(Document),
        ("workspace_id", "resource_id", "status", "created_at", "updated_at", *DOCUMENT_FIELDS),
        [(workspace_id, resource_id, status, now, now, *doc.values) for doc in documents],
        encoded=("metadata",),
    )
    ids: dict[str, int] = {}
    keys = [doc.key for doc in documents]
    for part in _in_batches(keys):
        ids.update(
            (key, doc_id)
            for doc_id, key in session.execute(
                select(Document.id, Document.key).where(
                    Document.workspace_id == workspace_id, Document.key.in_(part)
                )
            )
        )
    chunk_rows: list[tuple[Any, ...]] = []
    mention_batch: list[tuple[Any, ...]] = []
    contributions = stats.contributions
    for doc in documents:
        doc_id = ids[doc.key]
        chunk_rows.extend((workspace_id, doc_id, *row) for row in doc.chunks)
        for row in doc.mentions:
            mention_batch.append((workspace_id, doc_id, *row))
            target = (row[1], row[2])
            per_target = contributions.get(target)
            if per_target is None:
                per_target = contributions[target] = {}
                stats.touched.add(target)
            per_target[row[8]] = per_target.get(row[8], 0) + row[6]
        stats.chunks += len(doc.chunks)
        stats.entities += doc.entities
        stats.relations += doc.relations
        stats.dropped_relations += doc.dropped_relations
    insert_rows(session, _table(Chunk), ("workspace_id", "document_id", *CHUNK_FIELDS), chunk_rows)
    insert_rows(
        session,
        _table(Mention),
        ("workspace_id", "document_id", *MENTION_FIELDS),
        mention_batch,
        encoded=("contribution",),
    )


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]

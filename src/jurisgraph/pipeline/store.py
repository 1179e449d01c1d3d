"""Writing documents, chunks and mentions, and removing them exactly.

All functions work inside the caller's session (the caller commits). ``Targets`` are the
``(kind, id)`` pairs of nodes and edges whose aggregate must be recomputed afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jurisgraph.db import Session
from jurisgraph.models import utcnow
from jurisgraph.pipeline.provenance import Targets
from jurisgraph.pipeline.record_rows import PreparedDocument
from jurisgraph.pipeline.repository import documents as repository


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


def delete_documents(session: Session, document_ids: Sequence[int]) -> Targets:
    """Delete documents with their chunks and mentions; return the targets to recompute."""
    touched = repository.targets_of(session, document_ids)
    repository.delete_documents(session, document_ids)
    return touched


def clear_documents(session: Session, document_ids: Sequence[int]) -> Targets:
    """Delete the chunks and mentions of documents that stay (to be written again); return the
    targets to recompute."""
    touched = repository.targets_of(session, document_ids)
    repository.delete_documents(session, document_ids, keep_documents=True)
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
        for doc_id, key, chash, rid in repository.documents_of_resource(session, workspace_id, resource_id):
            existing[key] = (doc_id, chash, rid)
    keys = [k for k in hashes if k not in existing]
    for doc_id, key, chash, rid in repository.documents_by_keys(session, workspace_id, keys):
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
    repository.move_documents(session, taken_over, resource_id)
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
    repository.insert_documents(
        session, [(workspace_id, resource_id, status, now, now, *doc.values) for doc in documents]
    )
    ids = {
        key: doc_id
        for doc_id, key, _, _ in repository.documents_by_keys(
            session, workspace_id, [doc.key for doc in documents]
        )
    }
    write_rows(
        session, workspace_id=workspace_id, documents=[(ids[doc.key], doc) for doc in documents], stats=stats
    )


def write_rows(
    session: Session,
    *,
    workspace_id: int,
    documents: Sequence[tuple[int, PreparedDocument]],
    stats: StoreStats,
) -> None:
    """Insert the chunks and mentions of stored documents (``documents``: (row id, prepared
    document) pairs) and count them into ``stats``; the caller made sure they have none yet."""
    chunk_rows: list[tuple[Any, ...]] = []
    mention_batch: list[tuple[Any, ...]] = []
    contributions = stats.contributions
    for doc_id, doc in documents:
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
    repository.insert_chunks(session, chunk_rows)
    repository.insert_mentions(session, mention_batch)

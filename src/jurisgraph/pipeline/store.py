"""Writing documents, chunks and mentions, and removing them exactly.

All functions work inside the caller's session (the caller commits). ``Targets`` are the
``(kind, id)`` pairs of nodes and edges whose aggregate must be recomputed afterwards.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from jurisgraph.engine.chunking import chunk_text
from jurisgraph.engine.extract import extract_document
from jurisgraph.engine.types import SourceDocument
from jurisgraph.models import Base, Chunk, Document, Mention
from jurisgraph.pipeline.provenance import chunk_id, mention_rows

#: Bump when chunking or extraction changes: stored documents are then re-processed.
PROCESSING_VERSION = "1"
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
    #: every (count, contribution) this write stored, by target: lets the graph stage build
    #: targets that are new in this run without reading their mentions back
    contributions: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)


def content_hash(doc: SourceDocument) -> str:
    """Hash of everything that determines a document's chunks and graph contribution."""
    payload = json.dumps(
        [PROCESSING_VERSION, doc.kind, doc.title, doc.text, doc.fields, repr(doc.meta)],
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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


def replace_resource_documents(
    session: Session,
    *,
    workspace_id: int,
    resource_id: int | None,
    documents: Sequence[SourceDocument],
    chunk_size: int,
    chunk_overlap: int,
    status: str = "entities_extracted",
) -> StoreStats:
    """Make the stored documents of ``resource_id`` equal to ``documents``.

    Unchanged documents (same content hash) are left alone; changed ones are replaced;
    documents of the resource that are no longer present are deleted. A key already stored
    under another resource is taken over by this one (the later file wins).
    """
    stats = StoreStats()
    hashes = {doc.key: content_hash(doc) for doc in documents}
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
    to_write: list[SourceDocument] = []
    for doc in documents:
        found = existing.get(doc.key)
        if found is not None and found[1] == hashes[doc.key]:
            if found[2] != resource_id:
                session.get_one(Document, found[0]).resource_id = resource_id
            stats.unchanged += 1
            continue
        if found is not None:
            stale.append(found[0])
            stats.replaced += 1
        else:
            stats.inserted += 1
        to_write.append(doc)
    stats.deleted = len(stale) - stats.replaced
    stats.touched |= delete_documents(session, stale)
    stats.removed_document_ids = list(stale)
    if to_write:
        _insert(
            session, workspace_id, resource_id, to_write, hashes, chunk_size, chunk_overlap, status, stats
        )
    return stats


def _insert(
    session: Session,
    workspace_id: int,
    resource_id: int | None,
    documents: Sequence[SourceDocument],
    hashes: dict[str, str],
    chunk_size: int,
    chunk_overlap: int,
    status: str,
    stats: StoreStats,
) -> None:
    rows = [_document_row(doc, workspace_id, resource_id, hashes[doc.key], status) for doc in documents]
    session.add_all(rows)
    session.flush()
    chunk_rows: list[dict[str, Any]] = []
    mention_batch: list[dict[str, Any]] = []
    for doc, row in zip(documents, rows, strict=True):
        chunks = chunk_text(doc.key, doc.text, size=chunk_size, overlap=chunk_overlap)
        ids = [chunk_id(workspace_id, doc.key, c) for c in chunks]
        for cid, c in zip(ids, chunks, strict=True):
            chunk_rows.append(
                {
                    "id": cid,
                    "workspace_id": workspace_id,
                    "document_id": row.id,
                    "idx": c.index,
                    "start": c.start,
                    "end": c.end,
                    "text": c.text,
                    "content_hash": hashlib.sha256(c.text.encode("utf-8")).hexdigest(),
                }
            )
        extraction = extract_document(doc)
        mentions, dropped = mention_rows(
            extraction, workspace_id=workspace_id, document_id=row.id, chunk_ids=ids, chunks=chunks
        )
        mention_batch.extend(mentions)
        row.chunk_count = len(chunks)
        row.entity_count = len({e.key for e in extraction.entities})
        stats.chunks += len(chunks)
        stats.entities += row.entity_count
        stats.relations += len(extraction.relations) - dropped
        stats.dropped_relations += dropped
        for m in mentions:
            target = (m["target_kind"], m["target_id"])
            stats.touched.add(target)
            stats.contributions.setdefault(target, []).append((m["count"], m["contribution"]))
    for part in _in_batches(chunk_rows):
        session.execute(insert(Base.metadata.tables[Chunk.__tablename__]), list(part))
    for part in _in_batches(mention_batch):
        session.execute(insert(Base.metadata.tables[Mention.__tablename__]), list(part))


def _document_row(
    doc: SourceDocument, workspace_id: int, resource_id: int | None, chash: str, status: str
) -> Document:
    meta = doc.meta
    return Document(
        workspace_id=workspace_id,
        key=doc.key,
        kind=doc.kind,
        resource_id=resource_id,
        title=doc.title[:512],
        text_content=doc.text,
        content_hash=chash,
        processo=(meta.processo or None) and meta.processo[:191],
        classe=(meta.classe or None) and meta.classe[:128],
        numero_registro=meta.numero_registro,
        relator=(meta.relator or None) and meta.relator[:191],
        orgao_julgador=(meta.orgao_julgador or None) and meta.orgao_julgador[:64],
        data_decisao=meta.data_decisao,
        data_publicacao=meta.data_publicacao,
        source_url=meta.source_url,
        metadata_={"tipo": meta.tipo, "temas": list(meta.temas), **_jsonable(meta.extra)},
        status=status,
    )


def _jsonable(extra: Any) -> dict[str, Any]:
    return json.loads(json.dumps(dict(extra), default=str, ensure_ascii=False)) if extra else {}

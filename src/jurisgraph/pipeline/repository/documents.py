"""Queries on ``documents``, their ``chunks`` and their ``mentions``."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from jurisgraph.db import insert_rows
from jurisgraph.models import Base, Chunk, Document, Mention
from jurisgraph.pipeline.provenance import MENTION_FIELDS, Targets
from jurisgraph.pipeline.record_rows import CHUNK_FIELDS, DOCUMENT_FIELDS
from jurisgraph.pipeline.repository import in_batches

#: Columns of the rows :func:`insert_documents` takes.
DOCUMENT_COLUMNS = ("workspace_id", "resource_id", "status", "created_at", "updated_at", *DOCUMENT_FIELDS)
#: Columns of the rows :func:`insert_chunks` takes.
CHUNK_COLUMNS = ("workspace_id", "document_id", *CHUNK_FIELDS)
#: Columns of the rows :func:`insert_mentions` takes (``contribution`` as JSON text).
MENTION_COLUMNS = ("workspace_id", "document_id", *MENTION_FIELDS)

#: (id, key, content hash, resource row id) of a stored document.
StoredDocument = tuple[int, str, str, int | None]


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def insert_documents(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """Insert documents, one value tuple in :data:`DOCUMENT_COLUMNS` order each (``metadata``: JSON text)."""
    insert_rows(session, _table(Document), DOCUMENT_COLUMNS, rows, encoded=("metadata",))


def insert_chunks(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """Insert chunks, one value tuple in :data:`CHUNK_COLUMNS` order each."""
    insert_rows(session, _table(Chunk), CHUNK_COLUMNS, rows)


def insert_mentions(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """Insert mentions, one value tuple in :data:`MENTION_COLUMNS` order each."""
    insert_rows(session, _table(Mention), MENTION_COLUMNS, rows, encoded=("contribution",))


def documents_of_resource(session: Session, workspace_id: int, resource_id: int) -> list[StoredDocument]:
    """The documents of the workspace stored under the resource with row id ``resource_id``."""
    return [
        (doc_id, key, chash, rid)
        for doc_id, key, chash, rid in session.execute(
            select(Document.id, Document.key, Document.content_hash, Document.resource_id).where(
                Document.workspace_id == workspace_id, Document.resource_id == resource_id
            )
        )
    ]


def documents_by_keys(session: Session, workspace_id: int, keys: Sequence[str]) -> list[StoredDocument]:
    """The documents of the workspace with the given keys (those that exist)."""
    found: list[StoredDocument] = []
    for part in in_batches(keys):
        found.extend(
            (doc_id, key, chash, rid)
            for doc_id, key, chash, rid in session.execute(
                select(Document.id, Document.key, Document.content_hash, Document.resource_id).where(
                    Document.workspace_id == workspace_id, Document.key.in_(part)
                )
            )
        )
    return found


def document_ids_of_resource(session: Session, resource_id: int) -> list[int]:
    """Ids of every document stored under the resource with row id ``resource_id``."""
    return list(session.scalars(select(Document.id).where(Document.resource_id == resource_id)))


def move_documents(session: Session, document_ids: Sequence[int], resource_id: int | None) -> None:
    """The given documents now belong to the resource with row id ``resource_id``."""
    for part in in_batches(document_ids):
        session.execute(update(Document).where(Document.id.in_(part)).values(resource_id=resource_id))


def targets_of(session: Session, document_ids: Sequence[int]) -> Targets:
    """Every node and edge the given documents mention."""
    found: Targets = set()
    for part in in_batches(document_ids):
        rows = session.execute(
            select(Mention.target_kind, Mention.target_id).where(Mention.document_id.in_(part)).distinct()
        )
        found.update((kind, target) for kind, target in rows)
    return found


def delete_documents(session: Session, document_ids: Sequence[int], *, keep_documents: bool = False) -> None:
    """Delete the given documents with their chunks and mentions (only those with ``keep_documents``)."""
    for part in in_batches(document_ids):
        session.execute(delete(Mention).where(Mention.document_id.in_(part)))
        session.execute(delete(Chunk).where(Chunk.document_id.in_(part)))
        if not keep_documents:
            session.execute(delete(Document).where(Document.id.in_(part)))


def resource_totals(session: Session, resource_id: int) -> tuple[int, int, int]:
    """(chunks, distinct entities, distinct relations) of the documents of a resource (row id)."""
    doc_ids = select(Document.id).where(Document.resource_id == resource_id).scalar_subquery()
    chunks = session.scalar(
        select(func.coalesce(func.sum(Document.chunk_count), 0)).where(Document.resource_id == resource_id)
    )
    counts = dict(
        session.execute(
            select(Mention.target_kind, func.count(func.distinct(Mention.target_id)))
            .where(Mention.document_id.in_(doc_ids))
            .group_by(Mention.target_kind)
        ).all()
    )
    return int(chunks or 0), int(counts.get("node", 0)), int(counts.get("edge", 0))


def document(session: Session, document_id: int) -> Document:
    """The document with id ``document_id`` (it must exist)."""
    return session.get_one(Document, document_id)


def find_document(session: Session, document_id: int) -> Document | None:
    """The document with id ``document_id``, or None."""
    return session.get(Document, document_id)


def documents_with_metadata(
    session: Session, workspace_id: int, kinds: Collection[str] = ()
) -> list[tuple[int, dict[str, Any] | None]]:
    """(id, metadata) of the workspace's documents, of the given kinds when any, by id."""
    query = select(Document.id, Document.metadata_).where(Document.workspace_id == workspace_id)
    if kinds:
        query = query.where(Document.kind.in_(kinds))
    return [(doc_id, meta) for doc_id, meta in session.execute(query.order_by(Document.id))]


def chunks_of_document(session: Session, document_id: int) -> list[tuple[str, int, str]]:
    """(id, start, text) of the document's chunks, in order."""
    return [
        (chunk_id, start, text)
        for chunk_id, start, text in session.execute(
            select(Chunk.id, Chunk.start, Chunk.text)
            .where(Chunk.document_id == document_id)
            .order_by(Chunk.idx)
        )
    ]


def node_contributions(
    session: Session, document_id: int, extractor: str
) -> list[tuple[str, dict[str, Any] | None]]:
    """(node id, contribution) of the document's node mentions written by ``extractor``."""
    return [
        (target, contribution)
        for target, contribution in session.execute(
            select(Mention.target_id, Mention.contribution).where(
                Mention.document_id == document_id,
                Mention.target_kind == "node",
                Mention.extractor == extractor,
            )
        )
    ]


def delete_mentions(session: Session, document_id: int, extractor: str) -> None:
    """Delete the document's mentions written by ``extractor``."""
    session.execute(delete(Mention).where(Mention.document_id == document_id, Mention.extractor == extractor))

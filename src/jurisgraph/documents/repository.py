"""Queries on uploaded documents (``documents`` rows of kind ``upload``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from jurisgraph.db import Session
from jurisgraph.models import Document

UPLOAD_KIND = "upload"


def add(session: Session, document: Document) -> Document:
    """Insert an uploaded document; its id is set on return."""
    session.add(document)
    session.flush()
    return document


def get(session: Session, document_id: int) -> Document | None:
    """The uploaded document ``document_id``, or None (records of the STJ corpus are not uploads)."""
    row = session.get(Document, document_id)
    return row if row is not None and row.kind == UPLOAD_KIND else None


def page(session: Session, user_id: int | None, *, limit: int, offset: int) -> tuple[list[Document], int]:
    """Uploaded documents of ``user_id`` (every user's when None), newest first, and how many there are."""
    where = [Document.kind == UPLOAD_KIND]
    if user_id is not None:
        where.append(Document.user_id == user_id)
    total = session.scalar(select(func.count(Document.id)).where(*where)) or 0
    rows = session.scalars(
        select(Document).where(*where).order_by(Document.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), int(total)


def used_bytes(session: Session, user_id: int, *, current: bool = False) -> int:
    """Bytes the uploads of ``user_id`` take. With ``current``, a locking read: the rows committed
    by now, not those of the transaction's snapshot (MariaDB's repeatable read keeps a snapshot
    from the transaction's first read; SQLite has no such snapshot to skip)."""
    query = select(func.coalesce(func.sum(Document.file_size), 0)).where(
        Document.kind == UPLOAD_KIND, Document.user_id == user_id
    )
    if current:
        query = query.with_for_update(read=True)
    return int(session.scalar(query) or 0)


def with_key(session: Session, workspace_id: int, key: str) -> Document | None:
    """The document of the workspace with ``key`` (the same file uploaded before), or None."""
    return session.scalar(select(Document).where(Document.workspace_id == workspace_id, Document.key == key))


def file_references(session: Session, file_key: str, excluding: Sequence[int] = ()) -> int:
    """Documents (other than ``excluding``) whose stored file is ``file_key``."""
    query = select(func.count(Document.id)).where(Document.file_url == file_key)
    if excluding:
        query = query.where(Document.id.not_in(list(excluding)))
    return int(session.scalar(query) or 0)


def unfinished(session: Session) -> list[tuple[int, int | None]]:
    """(id, owner) of the uploads whose processing has not ended (neither embedded nor error)."""
    rows = session.execute(
        select(Document.id, Document.user_id).where(
            Document.kind == UPLOAD_KIND, Document.status.not_in(("embedded", "error"))
        )
    )
    return [(int(document_id), user_id) for document_id, user_id in rows]

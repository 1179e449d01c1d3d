"""Documents (STJ records and uploads) and their chunks (the unit of retrieval and citation)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    or_,
    true,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from jurisgraph.engine.dense_chunks import FULL_TEXT_FLAG, SPARSE_ONLY_KIND, wants_dense
from jurisgraph.models.base import Base, BigId, LongText, Timestamps

#: Upload lifecycle of the original system (STJ records use the same states from "chunking").
DOCUMENT_STATUSES = (
    "uploaded",
    "extracting",
    "extracted",
    "chunking",
    "chunked",
    "extracting_entities",
    "entities_extracted",
    "embedding",
    "embedded",
    "error",
)


class Document(Timestamps, Base):
    """One parsed record or uploaded file; ``key`` is stable (``espelho:000389583``)."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(191))
    kind: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(512), default="")
    filename: Mapped[str | None] = mapped_column(String(512))
    original_name: Mapped[str | None] = mapped_column(String(512))
    mime_type: Mapped[str | None] = mapped_column(String(128))
    file_size: Mapped[int | None] = mapped_column(Integer)
    file_url: Mapped[str | None] = mapped_column(Text)
    text_content: Mapped[str] = mapped_column(LongText, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    processo: Mapped[str | None] = mapped_column(String(191), index=True)
    classe: Mapped[str | None] = mapped_column(String(128))
    numero_registro: Mapped[str | None] = mapped_column(String(32), index=True)
    relator: Mapped[str | None] = mapped_column(String(191))
    orgao_julgador: Mapped[str | None] = mapped_column(String(64))
    data_decisao: Mapped[date | None] = mapped_column(Date)
    data_publicacao: Mapped[date | None] = mapped_column(Date)
    source_url: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict[str, Any] | None] = mapped_column("metadata")
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)
    entity_count: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(32), default="uploaded")
    error_message: Mapped[str | None] = mapped_column(Text)
    collection_name: Mapped[str | None] = mapped_column(String(191))

    @hybrid_property
    def dense_wanted(self) -> bool:
        """Whether this document's chunks get a dense vector (:mod:`jurisgraph.engine.dense_chunks`)."""
        return wants_dense(self.kind, self.metadata_)

    @dense_wanted.inplace.expression
    @classmethod
    def _dense_wanted_expression(cls) -> ColumnElement[bool]:
        """The same rule in SQL (SQLite and MySQL/MariaDB JSON), for counts and pending queries."""
        attached = func.coalesce(cls.metadata_[FULL_TEXT_FLAG].as_boolean(), false())
        return or_(cls.kind != SPARSE_ONLY_KIND, attached == true())


class Chunk(Base):
    """A character span of a document; ``id`` is a content hash, so re-chunking is idempotent."""

    __tablename__ = "chunks"
    __table_args__ = (Index("ix_chunks_document_id_idx", "document_id", "idx"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    idx: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    indexed_at: Mapped[datetime | None] = mapped_column(DateTime())
    embedded_at: Mapped[datetime | None] = mapped_column(DateTime(), index=True)

"""The embedding cache: vectors keyed by model signature and content hash (never embed twice)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from jurisgraph.models.base import Base, utcnow

VectorBlob = LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql", "mariadb")


class EmbeddingCacheEntry(Base):
    """A float32 vector (raw bytes) for one text under one model signature."""

    __tablename__ = "embedding_cache"

    signature: Mapped[str] = mapped_column(String(128), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(VectorBlob)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)

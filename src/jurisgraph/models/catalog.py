"""The STJ portal catalogue: datasets and their resources (files)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jurisgraph.models.base import Base, BigId, Timestamps

#: Resource lifecycle of the original system.
RESOURCE_STATUSES = (
    "pending",
    "downloading",
    "downloaded",
    "processing",
    "processed",
    "extracting_entities",
    "entities_extracted",
    "embedding",
    "embedded",
    "error",
)


class Dataset(Timestamps, Base):
    """A CKAN package (e.g. ``espelhos-de-acordaos-primeira-turma``)."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(191), unique=True)
    portal_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(512), default="")
    description: Mapped[str | None] = mapped_column(Text)
    organization: Mapped[str | None] = mapped_column(String(255))
    category: Mapped[str | None] = mapped_column(String(64))
    total_resources: Mapped[int] = mapped_column(Integer, default=0)
    json_resources: Mapped[int] = mapped_column(Integer, default=0)
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime())
    metadata_: Mapped[dict[str, Any] | None] = mapped_column("metadata")


class Resource(Timestamps, Base):
    """A file of a dataset, with download state and processing counts."""

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    resource_id: Mapped[str] = mapped_column(String(191), unique=True)
    name: Mapped[str] = mapped_column(String(512), default="")
    format: Mapped[str | None] = mapped_column(String(32))
    url: Mapped[str | None] = mapped_column(Text)
    file_size: Mapped[int | None] = mapped_column(Integer)
    last_modified: Mapped[str | None] = mapped_column(String(64))
    etag: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str | None] = mapped_column(String(64))
    storage_path: Mapped[str | None] = mapped_column(Text)
    downloaded_at: Mapped[datetime | None] = mapped_column(DateTime())
    processed_at: Mapped[datetime | None] = mapped_column(DateTime())
    processed_sha256: Mapped[str | None] = mapped_column(String(64))
    embedded_at: Mapped[datetime | None] = mapped_column(DateTime())
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)
    entity_count: Mapped[int] = mapped_column(Integer, default=0)
    relationship_count: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(32), default="pending", index=True)
    error_message: Mapped[str | None] = mapped_column(Text)

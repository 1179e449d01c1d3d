"""Operational tables: extraction logs, the query audit trail, jobs, the LLM ledger and reply cache."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jurisgraph.models.base import Base, BigId, LongText, utcnow

EXTRACTION_ACTIONS = (
    "sync_datasets",
    "download_resource",
    "process_json",
    "extract_entities",
    "build_communities",
    "generate_embeddings",
    "upload_document",
    "process_document",
    "rag_query",
)
JOB_STATUSES = ("queued", "running", "waiting", "done", "failed", "budget_exhausted", "cancelled")


class ExtractionLog(Base):
    """One row per pipeline action, with counts and duration (as in the original system)."""

    __tablename__ = "extraction_logs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dataset_slug: Mapped[str | None] = mapped_column(String(191), index=True)
    resource_id: Mapped[str | None] = mapped_column(String(191))
    document_id: Mapped[int | None] = mapped_column(Integer)
    job_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # started | completed | failed
    details: Mapped[str | None] = mapped_column(Text)
    records_processed: Mapped[int] = mapped_column(Integer, default=0)
    chunks_generated: Mapped[int] = mapped_column(Integer, default=0)
    entities_extracted: Mapped[int] = mapped_column(Integer, default=0)
    relationships_extracted: Mapped[int] = mapped_column(Integer, default=0)
    embeddings_generated: Mapped[int] = mapped_column(Integer, default=0)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, index=True)


class RagQuery(Base):
    """The audit trail of a question (CNJ Resolution 615/2025)."""

    __tablename__ = "rag_queries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    workspace_ids: Mapped[list[Any] | None] = mapped_column()
    query: Mapped[str] = mapped_column(Text)
    query_type: Mapped[str] = mapped_column(String(16))
    response: Mapped[str | None] = mapped_column(LongText)
    answer_kind: Mapped[str] = mapped_column(String(16), default="extractive")
    query_entities: Mapped[list[Any] | None] = mapped_column()
    sources_used: Mapped[list[Any] | None] = mapped_column()
    communities_used: Mapped[list[Any] | None] = mapped_column()
    total_chunks_retrieved: Mapped[int] = mapped_column(Integer, default=0)
    total_entities_retrieved: Mapped[int] = mapped_column(Integer, default=0)
    reasoning_chain: Mapped[list[Any] | None] = mapped_column()
    model: Mapped[str | None] = mapped_column(String(128))
    prompt_versions: Mapped[dict[str, Any] | None] = mapped_column()
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, index=True)


class Job(Base):
    """A unit of background work (in-process or Dramatiq), with progress and result."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_created_at", "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(24), default="queued")
    payload: Mapped[dict[str, Any] | None] = mapped_column()
    progress: Mapped[dict[str, Any] | None] = mapped_column()
    result: Mapped[dict[str, Any] | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    locked_by: Mapped[str | None] = mapped_column(String(128))
    #: the phase a job resumes from when taken again (a parent: what it waits in, then finishes after);
    #: the pipeline stage being run is in ``progress``
    stage: Mapped[str | None] = mapped_column(String(64))
    #: refreshed by the worker that holds the job; a stale one while ``running`` means that worker died
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime())
    #: the job that fanned this one out (a per-resource child of an ingestion)
    parent_id: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime())


class LlmCall(Base):
    """The token and cost ledger: one row per LLM or embedding API call."""

    __tablename__ = "llm_calls"
    __table_args__ = (Index("ix_llm_calls_created_at_purpose", "created_at", "purpose"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    provider: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(128))
    purpose: Mapped[str] = mapped_column(String(32))
    prompt_version: Mapped[str | None] = mapped_column(String(64))
    cache_key: Mapped[str | None] = mapped_column(String(64), index=True)
    cached: Mapped[bool] = mapped_column(default=False)
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(24))
    error: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[str | None] = mapped_column(String(36))
    user_id: Mapped[int | None] = mapped_column(Integer)
    workspace_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)


class LlmCacheEntry(Base):
    """A stored chat reply keyed by sha256 of provider, model, messages, JSON schema and prompt version."""

    __tablename__ = "llm_cache"

    cache_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(128))
    purpose: Mapped[str] = mapped_column(String(32))
    prompt_version: Mapped[str | None] = mapped_column(String(64))
    response: Mapped[str] = mapped_column(LongText)
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)

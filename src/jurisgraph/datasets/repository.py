"""Queries of the datasets service: the catalogue, resources, pipeline logs, jobs and corpus counts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from jurisgraph.db import Session
from jurisgraph.models import Base, Chunk, Dataset, Document, ExtractionLog, Job, Resource


def resource_status_counts(session: Session) -> list[tuple[str, str, str | None, int]]:
    """(slug, title, resource status, resources) per dataset and status, by slug; a dataset
    without resources has one row with status None."""
    rows = session.execute(
        select(Dataset.slug, Dataset.title, Resource.status, func.count(Resource.id))
        .join(Resource, Resource.dataset_id == Dataset.id, isouter=True)
        .group_by(Dataset.slug, Dataset.title, Resource.status)
        .order_by(Dataset.slug)
    ).all()
    return [(slug, title, status, count) for slug, title, status, count in rows]


def dataset_exists(session: Session, slug: str) -> bool:
    """Whether a dataset with this slug is in the catalogue."""
    return session.scalar(select(Dataset.id).where(Dataset.slug == slug).limit(1)) is not None


def resources_of(session: Session, slug: str, *, limit: int | None = None, offset: int = 0) -> list[Resource]:
    """Resources of the dataset ``slug``, by name (a page of them when ``limit`` is given)."""
    return list(
        session.scalars(
            select(Resource)
            .join(Dataset, Dataset.id == Resource.dataset_id)
            .where(Dataset.slug == slug)
            .order_by(Resource.name, Resource.id)
            .limit(limit)
            .offset(offset)
        )
    )


def latest_logs(session: Session, limit: int, offset: int = 0) -> list[ExtractionLog]:
    """The latest pipeline actions, newest first."""
    return list(
        session.scalars(select(ExtractionLog).order_by(ExtractionLog.id.desc()).limit(limit).offset(offset))
    )


def logs_page(
    session: Session,
    *,
    action: str | None,
    status: str | None,
    dataset: str | None,
    limit: int,
    offset: int,
) -> tuple[list[ExtractionLog], int]:
    """Pipeline actions matching the filters, newest first (one page), and how many match."""
    query = select(ExtractionLog)
    if action:
        query = query.where(ExtractionLog.action == action)
    if status:
        query = query.where(ExtractionLog.status == status)
    if dataset:
        query = query.where(ExtractionLog.dataset_slug == dataset)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(ExtractionLog.id.desc()).limit(limit).offset(offset))
    return list(rows), total


def log_actions(session: Session) -> list[str]:
    """The distinct actions in the pipeline log, sorted."""
    return list(session.scalars(select(ExtractionLog.action).distinct().order_by(ExtractionLog.action)))


def jobs(session: Session, statuses: Sequence[str] | None, limit: int, offset: int = 0) -> list[Job]:
    """Jobs newest first, only those in ``statuses`` when given."""
    query = select(Job)
    if statuses:
        query = query.where(Job.status.in_(list(statuses)))
    return list(session.scalars(query.order_by(Job.created_at.desc(), Job.id).limit(limit).offset(offset)))


def resource_exists(session: Session, resource_id: str) -> bool:
    """Whether a resource with this CKAN id is in the catalogue."""
    found = session.scalar(select(Resource.id).where(Resource.resource_id == resource_id).limit(1))
    return found is not None


def job(session: Session, job_id: str) -> Job | None:
    """One job row."""
    return session.get(Job, job_id)


def count(session: Session, model: type[Base]) -> int:
    """Rows of ``model``'s table (every workspace)."""
    return session.scalar(select(func.count()).select_from(model)) or 0


def count_chunks(session: Session, *, dense: bool) -> int:
    """Chunks with a dense vector (``dense``), or still waiting for one: chunks whose document
    wants none (``Document.dense_wanted``) are neither."""
    if dense:
        return (
            session.scalar(select(func.count()).select_from(Chunk).where(Chunk.embedded_at.is_not(None))) or 0
        )
    waiting = (
        select(func.count())
        .select_from(Chunk)
        .join(Document, Document.id == Chunk.document_id)
        .where(Chunk.embedded_at.is_(None), Document.dense_wanted)
    )
    return session.scalar(waiting) or 0

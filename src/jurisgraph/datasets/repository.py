"""Queries of the datasets service: the catalogue, resources, pipeline logs, jobs and corpus counts."""

from __future__ import annotations

from sqlalchemy import func, select

from jurisgraph.db import Session
from jurisgraph.models import Base, Chunk, Dataset, ExtractionLog, Job, Resource


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


def job(session: Session, job_id: str) -> Job | None:
    """One job row."""
    return session.get(Job, job_id)


def count(session: Session, model: type[Base]) -> int:
    """Rows of ``model``'s table (every workspace)."""
    return session.scalar(select(func.count()).select_from(model)) or 0


def count_chunks(session: Session, *, dense: bool) -> int:
    """Chunks with (``dense``) or without a dense vector yet."""
    embedded = Chunk.embedded_at.is_not(None) if dense else Chunk.embedded_at.is_(None)
    return session.scalar(select(func.count()).select_from(Chunk).where(embedded)) or 0

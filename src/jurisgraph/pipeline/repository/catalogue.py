"""Queries on the catalogue: ``datasets`` and ``resources``."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jurisgraph.models import Dataset, Resource


def dataset_by_slug(session: Session, slug: str) -> Dataset | None:
    """The dataset named ``slug``, if any."""
    return session.scalar(select(Dataset).where(Dataset.slug == slug))


def dataset_slug(session: Session, dataset_id: int) -> str | None:
    """The slug of the dataset with row id ``dataset_id``."""
    return session.scalar(select(Dataset.slug).where(Dataset.id == dataset_id))


def save_dataset(session: Session, dataset: Dataset) -> None:
    """Write ``dataset`` (new or changed) now, so that its id is set."""
    session.add(dataset)
    session.flush()


def resources_of_dataset(session: Session, dataset_id: int) -> dict[str, Resource]:
    """The dataset's resources by portal (CKAN) id."""
    rows = session.scalars(select(Resource).where(Resource.dataset_id == dataset_id))
    return {row.resource_id: row for row in rows}


def add_resource(session: Session, resource: Resource) -> None:
    """Insert ``resource`` with the next flush."""
    session.add(resource)


def resource(session: Session, row_id: int) -> Resource:
    """The resource with row id ``row_id`` (it must exist)."""
    return session.get_one(Resource, row_id)


def resource_by_portal_id(session: Session, resource_id: str) -> Resource | None:
    """The resource with portal (CKAN) id ``resource_id``, if any."""
    return session.scalar(select(Resource).where(Resource.resource_id == resource_id))


def delete_resource(session: Session, row: Resource) -> None:
    """Delete the resource row (its documents must be gone)."""
    session.delete(row)


def resources_with_slugs(
    session: Session, *, dataset: str | None = None, resource_id: str | None = None
) -> list[tuple[Resource, str]]:
    """Resources with their dataset's slug, by slug then name; of one dataset and one portal id when given."""
    query = select(Resource, Dataset.slug).join(Dataset, Dataset.id == Resource.dataset_id)
    if dataset:
        query = query.where(Dataset.slug == dataset)
    if resource_id:
        query = query.where(Resource.resource_id == resource_id)
    return [(row[0], row[1]) for row in session.execute(query.order_by(Dataset.slug, Resource.name))]


def sibling_files(session: Session, row: Resource) -> list[tuple[str, str | None, str | None]]:
    """(name, storage path, sha256) of the other resources of ``row``'s dataset."""
    return [
        (name, path, sha)
        for name, path, sha in session.execute(
            select(Resource.name, Resource.storage_path, Resource.sha256).where(
                Resource.dataset_id == row.dataset_id, Resource.id != row.id
            )
        )
    ]


def resources_in_status(session: Session, statuses: Sequence[str]) -> list[Resource]:
    """Resources whose status is one of ``statuses``."""
    return list(session.scalars(select(Resource).where(Resource.status.in_(statuses))))


def move_status(session: Session, current: str, new: str) -> None:
    """Every resource in status ``current`` goes to ``new``."""
    session.execute(update(Resource).where(Resource.status == current).values(status=new))

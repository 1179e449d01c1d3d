"""Which resources a command works on: dataset, resource id, date, and whether they have a parser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurisgraph.engine.stj import ResourceKind, guess_kind, resource_date
from jurisgraph.models import Dataset, Resource


@dataclass(frozen=True)
class ResourceFilter:
    """Narrows the resources of a run; empty = everything."""

    dataset: str | None = None
    resource: str | None = None
    since: date | None = None


def resource_kind(resource: Resource, dataset_slug: str) -> ResourceKind | None:
    """The parser kind of a resource, or None when jurisgraph has no parser for it."""
    return guess_kind(resource.name, dataset_slug)


def select_resources(session: Session, flt: ResourceFilter) -> list[tuple[Resource, str]]:
    """Resources with a known kind matching ``flt``, with their dataset slug, in a stable order."""
    query = select(Resource, Dataset.slug).join(Dataset, Dataset.id == Resource.dataset_id)
    if flt.dataset:
        query = query.where(Dataset.slug == flt.dataset)
    if flt.resource:
        query = query.where(Resource.resource_id == flt.resource)
    rows = [(row[0], row[1]) for row in session.execute(query.order_by(Dataset.slug, Resource.name))]
    chosen: list[tuple[Resource, str]] = []
    for resource, slug in rows:
        if resource_kind(resource, slug) in (None, ResourceKind.DICTIONARY):
            continue
        if flt.since is not None:
            when = resource_date(resource.name)
            modified = (resource.last_modified or "")[:10]
            if (when is not None and when < flt.since) or (
                when is None and modified and modified < flt.since.isoformat()
            ):
                continue
        chosen.append((resource, slug))
    return chosen

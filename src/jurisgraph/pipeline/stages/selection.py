"""Which resources a command works on: dataset, resource id, date, and whether they have a parser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jurisgraph.db import Session
from jurisgraph.engine.stj import ResourceKind, guess_kind, resource_date
from jurisgraph.models import Resource
from jurisgraph.pipeline.repository import catalogue


@dataclass(frozen=True)
class ResourceFilter:
    """Narrows the resources of a run; empty = everything."""

    dataset: str | None = None
    resource: str | None = None
    since: date | None = None


def resource_kind(resource: Resource, dataset_slug: str) -> ResourceKind | None:
    """The parser kind of a resource, or None when jurisgraph has no parser for it."""
    return guess_kind(resource.name, dataset_slug, resource.format)


def select_resources(session: Session, flt: ResourceFilter) -> list[tuple[Resource, str]]:
    """Resources with a known kind matching ``flt``, with their dataset slug, in a stable order."""
    rows = catalogue.resources_with_slugs(session, dataset=flt.dataset, resource_id=flt.resource)
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

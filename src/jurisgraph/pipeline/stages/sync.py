"""sync: the portal's catalogue → ``datasets`` and ``resources`` rows, with change detection.

A resource whose ``last_modified`` or ``size`` changed since the last sync goes back to
``pending`` so the download stage fetches it again; an unchanged one keeps its state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import structlog

from jurisgraph.db import session_scope
from jurisgraph.integrations.ckan import KNOWN_SLUGS, DatasetNotFound, Package, Portal, known_dataset
from jurisgraph.metrics import measured_stage
from jurisgraph.models import Dataset, Resource, utcnow
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.logs import logged_action
from jurisgraph.pipeline.repository import catalogue

log = structlog.get_logger(__name__)


@dataclass
class SyncReport:
    """What a sync found."""

    datasets: int = 0
    resources: int = 0
    new_resources: int = 0
    changed_resources: int = 0
    missing: list[str] = field(default_factory=list)


@measured_stage("sync")
def run(ctx: PipelineContext, portal: Portal, slugs: list[str] | None = None) -> SyncReport:
    """Sync the given dataset slugs (default: every known dataset the portal offers)."""
    report = SyncReport()
    with logged_action(ctx.container.sessions, "sync_datasets", job_id=ctx.job_id) as counts:
        wanted = slugs or _default_slugs(portal)
        for done, slug in enumerate(wanted, start=1):
            ctx.progress("sync", done - 1, len(wanted), slug)
            try:
                package = portal.package_show(slug)
            except DatasetNotFound:
                report.missing.append(slug)
                counts.details.append(f"{slug}: not found on {portal.location}")
                continue
            _store(ctx, package, report)
            ctx.progress("sync", done, len(wanted), slug)
        counts.records_processed = report.resources
        counts.details.append(
            f"{report.datasets} datasets, {report.resources} resources "
            f"({report.new_resources} new, {report.changed_resources} changed)"
        )
    return report


def _default_slugs(portal: Portal) -> list[str]:
    offered = portal.package_list()
    known = [slug for slug in offered if slug in KNOWN_SLUGS]
    return known or sorted(offered)


def _store(ctx: PipelineContext, package: Package, report: SyncReport) -> None:
    known = known_dataset(package.name)
    with session_scope(ctx.container.sessions) as session:
        dataset = catalogue.dataset_by_slug(session, package.name) or Dataset(slug=package.name)
        dataset.portal_id = package.id
        dataset.title = package.title or (known.title if known else package.name)
        dataset.description = package.notes or None
        dataset.organization = package.organization
        dataset.category = str(known.category) if known else None
        dataset.total_resources = len(package.resources)
        dataset.json_resources = sum(1 for r in package.resources if r.format.upper() == "JSON")
        dataset.last_synced_at = utcnow()
        dataset.metadata_ = {"metadata_modified": package.metadata_modified, "portal": "ckan"}
        catalogue.save_dataset(session, dataset)
        existing = catalogue.resources_of_dataset(session, dataset.id)
        for item in package.resources:
            row = existing.get(item.id)
            if row is None:
                catalogue.add_resource(
                    session,
                    Resource(
                        dataset_id=dataset.id,
                        resource_id=item.id,
                        name=item.filename,
                        format=item.format,
                        url=item.url,
                        file_size=item.size,
                        last_modified=item.last_modified,
                        status="pending",
                    ),
                )
                report.new_resources += 1
            elif row.last_modified != item.last_modified or (
                item.size is not None and row.file_size != item.size
            ):
                row.last_modified, row.file_size, row.url = item.last_modified, item.size, item.url
                row.status = "pending"
                row.sha256 = None  # the stored copy is stale: download it again
                report.changed_resources += 1
            report.resources += 1
        report.datasets += 1

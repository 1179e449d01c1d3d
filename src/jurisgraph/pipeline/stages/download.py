"""download: resource → storage folder, with sha256, size limit, retries and resumption.

Only resources that are pending, failed or missing on disk are fetched; an unchanged file
(same catalogue date and size, or a 304) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import structlog

from jurisgraph.db import session_scope
from jurisgraph.errors import JurisgraphError
from jurisgraph.integrations.ckan import DownloadState, Portal
from jurisgraph.integrations.ckan import Resource as PortalResource
from jurisgraph.metrics import measured_stage
from jurisgraph.models import Resource, utcnow
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.logs import logged_action
from jurisgraph.pipeline.repository import catalogue
from jurisgraph.pipeline.stages.selection import ResourceFilter, select_resources

log = structlog.get_logger(__name__)

NEEDS_DOWNLOAD = ("pending", "error", "downloading")


@dataclass
class DownloadReport:
    """What a download run did."""

    downloaded: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)


@measured_stage("download")
def run(
    ctx: PipelineContext, portal: Portal, flt: ResourceFilter | None = None, *, force: bool = False
) -> DownloadReport:
    """Download every selected resource that needs it."""
    report = DownloadReport()
    settings = ctx.container.settings
    with session_scope(ctx.container.sessions) as session:
        todo = [
            (r.id, slug)
            for r, slug in select_resources(session, flt or ResourceFilter())
            if force or r.status in NEEDS_DOWNLOAD or not (r.storage_path and Path(r.storage_path).exists())
        ]
    for done, (row_id, slug) in enumerate(todo, start=1):
        _download_one(
            ctx, portal, row_id, slug, settings.storage_path / slug, settings.portal.max_download_mb, report
        )
        ctx.progress("download", done, len(todo), slug)
    return report


def _download_one(
    ctx: PipelineContext,
    portal: Portal,
    row_id: int,
    slug: str,
    dest: Path,
    max_mb: int,
    report: DownloadReport,
) -> None:
    sessions = ctx.container.sessions
    with session_scope(sessions) as session:
        row = catalogue.resource(session, row_id)
        previous = row.status
        row.status = "downloading"
        known = _known_state(row)
        item = PortalResource(
            id=row.resource_id,
            package_id="",
            name=row.name,
            url=row.url or "",
            format=row.format or "",
            size=row.file_size,
            last_modified=row.last_modified,
            created=None,
            position=0,
            description="",
        )
    with logged_action(
        sessions, "download_resource", dataset_slug=slug, resource_id=item.id, job_id=ctx.job_id
    ) as counts:
        try:
            result = portal.download(item, dest, known=known, max_bytes=max_mb * 1024 * 1024)
        except JurisgraphError as exc:
            with session_scope(sessions) as session:
                row = catalogue.resource(session, row_id)
                row.status, row.error_message = "error", exc.message
            report.failed.append(f"{item.name}: {exc.message}")
            counts.error_message = exc.message
            log.warning("download_failed", resource=item.name, error=exc.message)
            return
        with session_scope(sessions) as session:
            row = catalogue.resource(session, row_id)
            row.sha256, row.file_size, row.storage_path = result.sha256, result.size, str(result.path)
            row.etag = result.etag
            row.downloaded_at = utcnow()
            row.error_message = None
            unchanged_and_done = not result.changed and row.processed_sha256 == result.sha256
            keep = unchanged_and_done and row.processed_at is not None and previous not in NEEDS_DOWNLOAD
            row.status = previous if keep else "downloaded"
        counts.records_processed = 1
        counts.details.append(
            f"{item.name}: {result.size} bytes, sha256 {result.sha256[:12]}, changed={result.changed}"
        )
        if result.changed:
            report.downloaded += 1
        else:
            report.unchanged += 1


def _known_state(row: Resource) -> DownloadState | None:
    if not (row.sha256 and row.storage_path and Path(row.storage_path).exists()):
        return None
    return DownloadState(
        sha256=row.sha256,
        size=row.file_size or 0,
        last_modified=row.last_modified,
        etag=row.etag,
        path=Path(row.storage_path),
    )

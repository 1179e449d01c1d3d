"""Datasets service: what the CLI, the API and jobs call to ingest STJ open data."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlalchemy import func, select

from jurisgraph.db import session_scope
from jurisgraph.integrations.ckan import Portal, PortalSettings, open_portal
from jurisgraph.models import Chunk, Dataset, Document, GraphEdge, GraphNode, Resource
from jurisgraph.pipeline import ingest as ingest_pipeline
from jurisgraph.pipeline.context import PipelineContext, Progress, no_progress
from jurisgraph.pipeline.jobs import InProcessJobs
from jurisgraph.pipeline.remove import remove_resource
from jurisgraph.pipeline.stages import download, sync
from jurisgraph.pipeline.stages import index as index_stage
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.pipeline.workspace import ensure_public_workspace
from jurisgraph.runtime import Container


def sample_folder() -> Path:
    """The bundled real STJ sample (a mirror folder with ``catalog.json``)."""
    return Path(str(resources.files("jurisgraph") / "sample"))


def open_configured_portal(container: Container, portal: str | None = None) -> Portal:
    """The portal named by ``portal`` (URL or folder) or by the configuration."""
    cfg = container.settings.portal
    settings = PortalSettings(
        request_interval_s=cfg.request_interval_s, timeout_s=cfg.timeout_s, max_retries=cfg.max_retries
    )
    return open_portal(portal or cfg.url, settings)


def context(
    container: Container, progress: Progress = no_progress, job_id: str | None = None
) -> PipelineContext:
    """A pipeline context on the public STJ workspace."""
    with session_scope(container.sessions) as session:
        workspace_id = ensure_public_workspace(session)
    return PipelineContext(container=container, workspace_id=workspace_id, progress=progress, job_id=job_id)


def sync_datasets(
    container: Container, portal: str | None, slugs: list[str] | None, progress: Progress = no_progress
) -> sync.SyncReport:
    """Refresh the catalogue of datasets and resources."""
    source = open_configured_portal(container, portal)
    try:
        return sync.run(context(container, progress), source, slugs)
    finally:
        source.close()


def download_resources(
    container: Container,
    portal: str | None,
    flt: ResourceFilter,
    *,
    force: bool = False,
    progress: Progress = no_progress,
) -> download.DownloadReport:
    """Download the selected resources that changed."""
    source = open_configured_portal(container, portal)
    try:
        return download.run(context(container, progress), source, flt, force=force)
    finally:
        source.close()


def ingest(
    container: Container,
    portal: str | None,
    flt: ResourceFilter,
    *,
    force: bool = False,
    offline: bool = False,
    dense: bool = True,
    progress: Progress = no_progress,
) -> ingest_pipeline.IngestReport:
    """Sync, download, process and index the selected resources (``offline``: only what is stored)."""
    source = None if offline else open_configured_portal(container, portal)
    try:
        return ingest_pipeline.run(context(container, progress), source, flt, force=force, dense=dense)
    finally:
        if source is not None:
            source.close()


def load_sample(
    container: Container, progress: Progress = no_progress, *, dense: bool = True
) -> ingest_pipeline.IngestReport:
    """Ingest the bundled real STJ sample."""
    return ingest(container, str(sample_folder()), ResourceFilter(), dense=dense, progress=progress)


def index(
    container: Container, *, dense: bool = True, progress: Progress = no_progress
) -> index_stage.IndexReport:
    """Index pending chunks: sparse vectors first, then (``dense``) dense vectors."""
    return index_stage.run(context(container, progress), dense=dense)


def pending_dense(container: Container) -> int:
    """Chunks without a dense vector yet."""
    with session_scope(container.sessions) as session:
        return session.scalar(select(func.count()).select_from(Chunk).where(Chunk.embedded_at.is_(None))) or 0


def start_background_embedding(container: Container) -> str | None:
    """Queue a job that fills in missing dense vectors; None when nothing is pending."""
    if pending_dense(container) == 0:
        return None

    def work(job_id: str, progress: Progress) -> dict[str, object]:
        report = index_stage.run(context(container, progress, job_id), dense=True)
        return {"dense_points": report.dense_points, "sparse_points": report.sparse_points}

    return jobs(container).submit("embed", {}, work)


def remove(container: Container, resource_id: str) -> int:
    """Remove a resource and everything derived from it; returns documents removed."""
    return remove_resource(context(container), resource_id)


def overview(container: Container) -> list[dict[str, object]]:
    """Datasets with their resource counts by status."""
    with session_scope(container.sessions) as session:
        rows = session.execute(
            select(Dataset.slug, Dataset.title, Resource.status, func.count(Resource.id))
            .join(Resource, Resource.dataset_id == Dataset.id, isouter=True)
            .group_by(Dataset.slug, Dataset.title, Resource.status)
            .order_by(Dataset.slug)
        ).all()
    found: dict[str, dict[str, object]] = {}
    for slug, title, status, count in rows:
        entry = found.setdefault(slug, {"slug": slug, "title": title, "statuses": {}})
        if status is not None:
            statuses = entry["statuses"]
            assert isinstance(statuses, dict)
            statuses[status] = count
    return list(found.values())


def corpus_counts(container: Container) -> dict[str, int]:
    """Documents, nodes and edges stored."""
    with session_scope(container.sessions) as session:
        return {
            "documents": session.scalar(select(func.count()).select_from(Document)) or 0,
            "nodes": session.scalar(select(func.count()).select_from(GraphNode)) or 0,
            "edges": session.scalar(select(func.count()).select_from(GraphEdge)) or 0,
        }


def jobs(container: Container) -> InProcessJobs:
    """The process's job runner (built on first use, closed with the container)."""
    runner: InProcessJobs = container.lazy("jobs", lambda: InProcessJobs(container.sessions))
    return runner

"""Datasets service: what the CLI, the API and jobs call to ingest STJ open data (what they show
of it is in :mod:`jurisgraph.datasets.views`).

Pipeline operations (sync, download, ingest, index, remove) are long-running edges of their own: they
take the container and commit stage by stage, as the pipeline does.
"""

from __future__ import annotations

from dataclasses import asdict
from importlib import resources as package_files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jurisgraph.datasets import repository
from jurisgraph.datasets.views import corpus_counts
from jurisgraph.db import Session, session_scope
from jurisgraph.errors import Forbidden, InvalidInput, NotFound
from jurisgraph.integrations.ckan import HostThrottle, Portal, PortalSettings, open_portal
from jurisgraph.jobs import Waiting, handler
from jurisgraph.jobs.queue import cancel_job as cancel_queued_job
from jurisgraph.jobs.queue import child_outcomes, new_children, requeue_job
from jurisgraph.jobs.queue import queued as queued_jobs
from jurisgraph.jobs.registry import kinds as registered_kinds
from jurisgraph.pipeline import ingest as ingest_pipeline
from jurisgraph.pipeline.context import PipelineContext, Progress, no_progress
from jurisgraph.pipeline.remove import remove_resource
from jurisgraph.pipeline.stages import communities as communities_stage
from jurisgraph.pipeline.stages import download, llm_reports, process, sync
from jurisgraph.pipeline.stages import index as index_stage
from jurisgraph.pipeline.stages.selection import ResourceFilter, select_resources
from jurisgraph.pipeline.workspace import public_context
from jurisgraph.runtime import Container


def sample_folder() -> Path:
    """The bundled real STJ sample (a mirror folder with ``catalog.json``)."""
    return Path(str(package_files.files("jurisgraph") / "sample"))


def open_configured_portal(container: Container, portal: str | None = None) -> Portal:
    """The portal named by ``portal`` (URL or folder) or by the configuration; its polite
    interval is kept by the container's throttle (across processes when Redis is configured)."""
    cfg = container.settings.portal
    settings = PortalSettings(
        request_interval_s=cfg.request_interval_s, timeout_s=cfg.timeout_s, max_retries=cfg.max_retries
    )
    spacing = HostThrottle(cfg.request_interval_s, limits=container.throttle())
    return open_portal(portal or cfg.url, settings, throttle=spacing)


def _normal_url(url: str) -> str:
    return url.strip().rstrip("/").lower()


def is_portal_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL (a folder path never is)."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def requested_portal(container: Container, portal: str | None) -> str | None:
    """The portal an ingestion request named, checked: none (the configured one is used), the
    configured URL, or one of ``portal.allowed_urls``. A folder or any other scheme is refused
    (:class:`InvalidInput`, 422) and so is an http(s) URL off the list (:class:`Forbidden`)."""
    if portal is None:
        return None
    if not is_portal_url(portal):
        raise InvalidInput(
            "portal must be an http(s) URL; folders are not accepted over HTTP", status_code=422
        )
    cfg = container.settings.portal
    allowed = {_normal_url(url) for url in cfg.allowed_urls if is_portal_url(url)}
    if is_portal_url(cfg.url):
        allowed.add(_normal_url(cfg.url))
    if _normal_url(portal) not in allowed:
        raise Forbidden("this portal is not in the allowed list (portal.allowed_urls)")
    return portal.strip()


def submit_ingest(
    container: Container,
    *,
    portal: str | None = None,
    dataset: str | None = None,
    resource: str | None = None,
    sample: bool = False,
    force: bool = False,
    user_id: int | None = None,
    fan_out: bool | None = None,
) -> str:
    """Queue an ingestion job (the sample, or the selection from the configured or an allowed
    portal, see :func:`requested_portal`) within the caps ``pipeline.max_queued_jobs`` and, for
    a requester, ``pipeline.max_queued_jobs_per_user`` (:class:`TooManyJobs` beyond).

    With ``fan_out`` (the default when Redis is configured) the job downloads and processes
    each resource in a job of its own, on any worker, and rebuilds the graph, communities and
    index once after them all; otherwise one job does everything, as the embedded default."""
    checked = None if sample else requested_portal(container, portal)
    spread = bool(container.settings.redis.url) if fan_out is None else fan_out
    # the workspace row exists before any worker runs: chunk ids derive from its id, which must
    # not depend on which worker created it first (or on an id a killed worker's insert used up)
    context(container)
    payload = {
        "portal": checked,
        "dataset": dataset,
        "resource": resource,
        "sample": sample,
        "force": force,
        "fan_out": spread and not sample,
    }
    pipeline = container.settings.pipeline
    return container.jobs().submit(
        "ingest",
        payload,
        user_id=user_id,
        max_active=pipeline.max_queued_jobs,
        max_active_per_user=pipeline.max_queued_jobs_per_user,
    )


@handler("ingest")
def _ingest_job(
    container: Container, job_id: str, payload: dict[str, Any], progress: Progress
) -> dict[str, Any] | Waiting:
    if payload.get("fan_out"):
        return _fanned_ingest(container, job_id, payload, progress)
    # sparse index now (searchable at once); dense vectors follow in their own job
    if payload.get("sample"):
        report = load_sample(container, progress, dense=False, job_id=job_id)
    else:
        flt = ResourceFilter(dataset=payload.get("dataset"), resource=payload.get("resource"))
        report = ingest(
            container,
            payload.get("portal"),
            flt,
            force=bool(payload.get("force")),
            dense=False,
            progress=progress,
            job_id=job_id,
        )
    with session_scope(container.sessions) as session:
        embed_job = start_background_embedding(session, container)
        counts = corpus_counts(session)
    return {"problems": report.problems, "embedding_job": embed_job, **counts}


def _fanned_ingest(
    container: Container, job_id: str, payload: dict[str, Any], progress: Progress
) -> dict[str, Any] | Waiting:
    """The stages of a fanned-out ingestion: sync and one download job per resource; when they
    ended, one processing job per resource; when those ended, the graph, communities and index."""
    stage = payload.get("_stage")
    portal, force = payload.get("portal"), bool(payload.get("force"))
    ctx = context(container, progress, job_id)
    if stage is None:
        source = open_configured_portal(container, portal)
        try:
            dataset = payload.get("dataset")
            sync.run(ctx, source, [dataset] if dataset else None)
        finally:
            source.close()
        flt = ResourceFilter(dataset=payload.get("dataset"), resource=payload.get("resource"))
        with session_scope(container.sessions) as session:
            chosen = sorted({row.resource_id for row, _slug in select_resources(session, flt)})
        children = {rid: {"portal": portal, "resource": rid, "force": force} for rid in chosen}
        return Waiting(
            tuple(new_children(container.sessions, job_id, "ingest_download", children)), "download"
        )
    if stage == "download":
        done = [
            (result or {}).get("resource")
            for kind, status, result, _error in child_outcomes(container.sessions, job_id)
            if kind == "ingest_download" and status == "done"
        ]
        children = {str(rid): {"resource": rid, "force": force} for rid in done if rid}
        return Waiting(tuple(new_children(container.sessions, job_id, "ingest_process", children)), "process")
    problems: list[str] = []
    changed = False
    for kind, status, result, error in child_outcomes(container.sessions, job_id):
        problems += (result or {}).get("problems", [])
        changed = changed or bool((result or {}).get("documents"))
        if status != "done":
            problems.append(f"{kind} {status}: {error}")
    report = ingest_pipeline.finish(ctx, changed=changed, force=force, dense=False)
    problems += report.problems
    with session_scope(container.sessions) as session:
        embed_job = start_background_embedding(session, container)
        counts = corpus_counts(session)
    return {"problems": problems, "embedding_job": embed_job, **counts}


@handler("ingest_download")
def _download_job(
    container: Container, job_id: str, payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    rid = str(payload["resource"])
    source = open_configured_portal(container, payload.get("portal"))
    try:
        report = download.run(
            context(container, progress, job_id),
            source,
            ResourceFilter(resource=rid),
            force=bool(payload.get("force")),
        )
    finally:
        source.close()
    return {"resource": rid, "problems": report.failed, "downloaded": report.downloaded}


@handler("ingest_process")
def _process_job(
    container: Container, job_id: str, payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    ctx = context(container, progress, job_id)
    flt = ResourceFilter(resource=str(payload["resource"]))
    report = process.run(ctx, flt, force=bool(payload.get("force")), graph_now=False)
    return {"problems": report.failed + report.file_errors, "documents": report.documents}


def context(
    container: Container, progress: Progress = no_progress, job_id: str | None = None
) -> PipelineContext:
    """A pipeline context on the public STJ workspace (created on first use)."""
    return public_context(container, progress, job_id)


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
    job_id: str | None = None,
) -> ingest_pipeline.IngestReport:
    """Sync, download, process and index the selected resources (``offline``: only what is stored)."""
    source = None if offline else open_configured_portal(container, portal)
    try:
        ctx = context(container, progress, job_id)
        return ingest_pipeline.run(ctx, source, flt, force=force, dense=dense)
    finally:
        if source is not None:
            source.close()


def load_sample(
    container: Container, progress: Progress = no_progress, *, dense: bool = True, job_id: str | None = None
) -> ingest_pipeline.IngestReport:
    """Ingest the bundled real STJ sample."""
    return ingest(
        container, str(sample_folder()), ResourceFilter(), dense=dense, progress=progress, job_id=job_id
    )


def index(
    container: Container, *, dense: bool = True, progress: Progress = no_progress
) -> index_stage.IndexReport:
    """Index pending chunks: sparse vectors first, then (``dense``) dense vectors."""
    return index_stage.run(context(container, progress), dense=dense)


def pending_dense(session: Session) -> int:
    """Chunks still waiting for a dense vector (chunks that get none, such as íntegras without
    their full text, never wait: :mod:`jurisgraph.engine.dense_chunks`)."""
    return repository.count_chunks(session, dense=False)


def start_background_embedding(session: Session, container: Container) -> str | None:
    """Queue a job on the container's runner that fills in missing dense vectors; None when
    ``session`` shows nothing pending. An embedding job still queued covers every pending chunk,
    so its id is returned instead of a second job (a finish stage run again after its worker died
    queues nothing new). The job commits on its own, as every pipeline stage."""
    if pending_dense(session) == 0:
        return None
    waiting = queued_jobs(session, "embed")
    if waiting:
        return waiting[0]
    return container.jobs().submit("embed", {})


@handler("embed")
def _embed_job(
    container: Container, job_id: str, payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    report = index_stage.run(context(container, progress, job_id), dense=True)
    return {"dense_points": report.dense_points, "sparse_points": report.sparse_points}


def remove(container: Container, resource_id: str) -> int:
    """Remove a resource and everything derived from it; returns documents removed."""
    return remove_resource(context(container), resource_id)


def handler_kinds() -> list[str]:
    """The job kinds this process can run (registered by importing this module)."""
    return registered_kinds()


def retry_job(container: Container, job_id: str) -> dict[str, Any]:
    """Queue again a failed or cancelled job (its own transaction, then handed to a worker)."""
    jobs = container.jobs()
    previous = requeue_job(container.sessions, job_id)
    jobs.enqueue(job_id)
    return {"job_id": job_id, "previous_status": previous, "status": "queued"}


def cancel_job(container: Container, job_id: str) -> dict[str, Any]:
    """Cancel a job that is not over, and its children (a running one stops at its next heartbeat)."""
    cancel_queued_job(container.sessions, job_id)
    return {"job_id": job_id, "status": "cancelled"}


def require_resource(session: Session, resource_id: str) -> None:
    """:class:`NotFound` unless the catalogue holds the resource ``resource_id``."""
    if not repository.resource_exists(session, resource_id):
        raise NotFound(f"resource {resource_id!r} not found")


def _capped(container: Container, kind: str, payload: dict[str, Any], user_id: int | None) -> str:
    """Queue a job of ``kind`` (its handler is registered below) within the caps
    ``pipeline.max_queued_jobs`` and, for a requester, ``pipeline.max_queued_jobs_per_user``
    (:class:`TooManyJobs`, a 429, beyond)."""
    pipeline = container.settings.pipeline
    return container.jobs().submit(
        kind,
        payload,
        user_id=user_id,
        max_active=pipeline.max_queued_jobs,
        max_active_per_user=pipeline.max_queued_jobs_per_user,
    )


def start_sync(container: Container, *, user_id: int | None = None) -> str:
    """Queue a job that refreshes the catalogue from the configured portal; returns its id."""
    return _capped(container, "sync", {}, user_id)


@handler("sync")
def _sync_job(
    container: Container, job_id: str, payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    return asdict(sync_datasets(container, None, None, progress))


def start_download(
    session: Session, container: Container, resource_id: str, *, user_id: int | None = None
) -> str:
    """Queue a job that downloads one resource from the configured portal; returns its id."""
    require_resource(session, resource_id)
    return _capped(container, "download", {"resource": resource_id}, user_id)


@handler("download")
def _resource_download_job(
    container: Container, job_id: str, payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    flt = ResourceFilter(resource=str(payload["resource"]))
    return asdict(download_resources(container, None, flt, progress=progress))


def start_process(
    session: Session,
    container: Container,
    resource_id: str,
    *,
    force: bool = False,
    user_id: int | None = None,
) -> str:
    """Queue a job that processes one stored resource (parse to index, sparse vectors first, dense
    ones in the background job after it); returns its id."""
    require_resource(session, resource_id)
    return _capped(container, "process", {"resource": resource_id, "force": force}, user_id)


@handler("process")
def _resource_process_job(
    container: Container, job_id: str, payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    flt = ResourceFilter(resource=str(payload["resource"]))
    force = bool(payload.get("force"))
    report = ingest(
        container, None, flt, force=force, offline=True, dense=False, progress=progress, job_id=job_id
    )
    with session_scope(container.sessions) as inner:
        embed_job = start_background_embedding(inner, container)
    return {"problems": report.problems, "embedding_job": embed_job}


def start_communities(container: Container, *, user_id: int | None = None) -> str:
    """Queue a job that rebuilds the communities of the public workspace (Leiden, extractive
    reports, LLM reports when an LLM is configured) and indexes their reports; returns its id."""
    return _capped(container, "communities", {}, user_id)


@handler("communities")
def _communities_job(
    container: Container, job_id: str, payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    ctx = context(container, progress, job_id)
    built = communities_stage.run(ctx)
    gateway = container.gateway()
    reports = llm_reports.run(ctx, gateway) if gateway.enabled else None
    indexed = index_stage.run(ctx, dense=False)
    with session_scope(container.sessions) as session:
        embed_job = start_background_embedding(session, container)
    return {
        **asdict(built),
        "llm_reports": asdict(reports) if reports else None,
        "indexed": asdict(indexed),
        "embedding_job": embed_job,
    }

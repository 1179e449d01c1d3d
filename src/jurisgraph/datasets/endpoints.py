"""HTTP endpoints of the STJ catalogue and ingestion (``/api/v1/datasets``, ``/api/v1/jobs``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.deps import AdminDep, ContainerDep, SessionDep, UserDep
from jurisgraph.pipeline.stages.selection import ResourceFilter

router = APIRouter(tags=["datasets"])


class IngestRequest(BaseModel):
    """What to ingest; everything optional."""

    portal: str | None = Field(None, description="Portal URL or mirror folder; default from configuration.")
    dataset: str | None = Field(None, description="Only this dataset slug.")
    resource: str | None = Field(None, description="Only this resource id.")
    sample: bool = Field(False, description="Ingest the bundled STJ sample instead.")
    force: bool = Field(False, description="Re-process unchanged resources.")


@router.get("/api/v1/datasets")
def datasets(_: UserDep, session: SessionDep) -> list[dict[str, Any]]:
    """Datasets with resource counts by status."""
    return service.overview(session)


@router.get("/api/v1/datasets/{slug}/resources")
def resources(slug: str, _: UserDep, session: SessionDep) -> list[dict[str, Any]]:
    """Resources of one dataset with their state and counts."""
    return service.resources(session, slug)


@router.get("/api/v1/extraction-logs")
def extraction_logs(
    _: UserDep,
    session: SessionDep,
    response: Response,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10_000_000),
    action: str | None = Query(None, max_length=32),
    status: str | None = Query(None, max_length=16),
    dataset: str | None = Query(None, max_length=191),
) -> list[dict[str, Any]]:
    """Pipeline actions newest first, filtered by action, status and dataset; the number that
    match is in the ``X-Total-Count`` header."""
    rows, total = service.log_page(
        session, action=action, status=status, dataset=dataset, limit=limit, offset=offset
    )
    response.headers["X-Total-Count"] = str(total)
    return [service.log_dict(r) for r in rows]


@router.get("/api/v1/stats")
def stats(_: UserDep, session: SessionDep, container: ContainerDep) -> dict[str, Any]:
    """Dashboard figures: corpus counts, active jobs with progress, LLM spend of the last 30 days."""
    return service.dashboard(session, container)


@router.get("/api/v1/jobs")
def jobs(
    _: AdminDep,
    session: SessionDep,
    container: ContainerDep,
    active: bool = Query(False, description="Only queued and running jobs."),
    limit: int = Query(20, ge=1, le=200),
) -> list[dict[str, Any]]:
    """Jobs newest first, with live progress while they run (admin)."""
    return service.list_jobs(session, container.jobs(), active=active, limit=limit)


@router.post("/api/v1/datasets/sync", status_code=202)
def sync(_: AdminDep, container: ContainerDep) -> dict[str, str]:
    """Refresh the catalogue from the configured portal in a job (admin); poll ``/api/v1/jobs/{id}``."""
    return {"job_id": service.start_sync(container)}


class ProcessRequest(BaseModel):
    """How to process a resource."""

    force: bool = Field(False, description="Re-process an unchanged resource.")


@router.post("/api/v1/resources/{resource_id}/download", status_code=202)
def download_resource(
    resource_id: str, _: AdminDep, session: SessionDep, container: ContainerDep
) -> dict[str, str]:
    """Download one resource from the configured portal in a job (admin)."""
    return {"job_id": service.start_download(session, container, resource_id)}


@router.post("/api/v1/resources/{resource_id}/process", status_code=202)
def process_resource(
    resource_id: str,
    _: AdminDep,
    session: SessionDep,
    container: ContainerDep,
    body: ProcessRequest | None = None,
) -> dict[str, str]:
    """Process one downloaded resource (parse to index) in a job (admin)."""
    force = body.force if body else False
    return {"job_id": service.start_process(session, container, resource_id, force=force)}


@router.post("/api/v1/ingest", status_code=202)
def start_ingest(body: IngestRequest, principal: AdminDep, container: ContainerDep) -> dict[str, str]:
    """Start an ingestion job (admin); poll ``/api/v1/jobs/{id}``."""

    def work(job_id: str, progress: Any) -> dict[str, Any]:
        # sparse index now (searchable at once); dense vectors follow in their own job
        if body.sample:
            report = service.load_sample(container, progress, dense=False)
        else:
            flt = ResourceFilter(dataset=body.dataset, resource=body.resource)
            report = service.ingest(
                container, body.portal, flt, force=body.force, dense=False, progress=progress
            )
        with session_scope(container.sessions) as session:
            embed_job = service.start_background_embedding(session, container)
            counts = service.corpus_counts(session)
        return {"problems": report.problems, "embedding_job": embed_job, **counts}

    job_id = container.jobs().submit("ingest", body.model_dump(), work, user_id=principal.user_id)
    return {"job_id": job_id}


@router.get("/api/v1/jobs/{job_id}")
def job(job_id: str, _: AdminDep, session: SessionDep, container: ContainerDep) -> dict[str, Any]:
    """A job's state, progress and result (admin)."""
    return service.job(session, container.jobs(), job_id)

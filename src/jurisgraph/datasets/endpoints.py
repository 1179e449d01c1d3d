"""HTTP endpoints of the STJ catalogue and ingestion (``/api/v1/datasets``, ``/api/v1/jobs``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import ConfigDict, Field

from jurisgraph.datasets import service
from jurisgraph.datasets import views as dataset_views
from jurisgraph.deps import MAX_KEY, MAX_NAME, AdminDep, ContainerDep, Page, SessionDep, UserDep, paging
from jurisgraph.kit.inputs import RequestBody

router = APIRouter(tags=["datasets"])
ResourceId = Annotated[str, Path(max_length=MAX_KEY)]


class IngestRequest(RequestBody):
    """What to ingest; everything optional."""

    model_config = ConfigDict(extra="forbid")

    portal: str | None = Field(
        None,
        max_length=MAX_KEY,
        description="Portal URL: the configured one or one of portal.allowed_urls (default: the configured"
        " one); a folder is never accepted here.",
    )
    dataset: str | None = Field(None, max_length=MAX_NAME, description="Only this dataset slug.")
    resource: str | None = Field(None, max_length=MAX_KEY, description="Only this resource id.")
    sample: bool = Field(False, description="Ingest the bundled STJ sample instead.")
    force: bool = Field(False, description="Re-process unchanged resources.")


@router.get("/api/v1/datasets")
def datasets(
    _: UserDep, session: SessionDep, page: Annotated[Page, paging(100, 500)]
) -> list[dict[str, Any]]:
    """Datasets with resource counts by status, by slug."""
    return dataset_views.overview(session, limit=page.limit, offset=page.offset)


@router.get("/api/v1/datasets/{slug}/resources")
def resources(
    slug: Annotated[str, Path(max_length=MAX_NAME)],
    _: UserDep,
    session: SessionDep,
    page: Annotated[Page, paging(200, 1000)],
) -> list[dict[str, Any]]:
    """Resources of one dataset with their state and counts, by name."""
    return dataset_views.resources(session, slug, limit=page.limit, offset=page.offset)


@router.get("/api/v1/extraction-logs")
def extraction_logs(
    _: UserDep,
    session: SessionDep,
    response: Response,
    page: Annotated[Page, paging()],
    action: str | None = Query(None, max_length=32),
    status: str | None = Query(None, max_length=16),
    dataset: str | None = Query(None, max_length=191),
) -> list[dict[str, Any]]:
    """Pipeline actions newest first, filtered by action, status and dataset; the number that
    match is in the ``X-Total-Count`` header."""
    rows, total = dataset_views.log_page(
        session, action=action, status=status, dataset=dataset, limit=page.limit, offset=page.offset
    )
    response.headers["X-Total-Count"] = str(total)
    return [dataset_views.log_dict(r) for r in rows]


@router.get("/api/v1/stats")
def stats(_: UserDep, session: SessionDep, container: ContainerDep) -> dict[str, Any]:
    """Dashboard figures: corpus counts, active jobs with progress, LLM spend of the last 30 days."""
    return dataset_views.dashboard(session, container)


@router.get("/api/v1/jobs")
def jobs(
    _: AdminDep,
    session: SessionDep,
    container: ContainerDep,
    page: Annotated[Page, paging(20, 200)],
    active: bool = Query(False, description="Only queued and running jobs."),
) -> list[dict[str, Any]]:
    """Jobs newest first, with live progress while they run (admin)."""
    return dataset_views.list_jobs(
        session, container.jobs(), active=active, limit=page.limit, offset=page.offset
    )


@router.post("/api/v1/datasets/sync", status_code=202)
def sync(principal: AdminDep, container: ContainerDep) -> dict[str, str]:
    """Refresh the catalogue from the configured portal in a job (admin); poll ``/api/v1/jobs/{id}``;
    too many jobs queued: 429."""
    return {"job_id": service.start_sync(container, user_id=principal.user_id)}


class ProcessRequest(RequestBody):
    """How to process a resource."""

    force: bool = Field(False, description="Re-process an unchanged resource.")


@router.post("/api/v1/resources/{resource_id}/download", status_code=202)
def download_resource(
    resource_id: ResourceId, principal: AdminDep, session: SessionDep, container: ContainerDep
) -> dict[str, str]:
    """Download one resource from the configured portal in a job (admin); too many jobs queued: 429."""
    return {"job_id": service.start_download(session, container, resource_id, user_id=principal.user_id)}


@router.post("/api/v1/resources/{resource_id}/process", status_code=202)
def process_resource(
    resource_id: ResourceId,
    principal: AdminDep,
    session: SessionDep,
    container: ContainerDep,
    body: ProcessRequest | None = None,
) -> dict[str, str]:
    """Process one downloaded resource (parse to index) in a job (admin); too many jobs queued: 429."""
    force = body.force if body else False
    job_id = service.start_process(session, container, resource_id, force=force, user_id=principal.user_id)
    return {"job_id": job_id}


@router.post("/api/v1/communities/build", status_code=202)
def build_communities(principal: AdminDep, container: ContainerDep) -> dict[str, str]:
    """Rebuild the communities of the STJ corpus and index their reports in a job (admin); poll
    ``/api/v1/jobs/{id}``; too many jobs queued: 429."""
    return {"job_id": service.start_communities(container, user_id=principal.user_id)}


@router.post("/api/v1/ingest", status_code=202)
def start_ingest(body: IngestRequest, principal: AdminDep, container: ContainerDep) -> dict[str, str]:
    """Start an ingestion job (admin); poll ``/api/v1/jobs/{id}``. The portal is the configured one
    or an allowed URL (a folder: 422; a URL off the list: 403); too many jobs queued: 429."""
    job_id = service.submit_ingest(
        container,
        portal=body.portal,
        dataset=body.dataset,
        resource=body.resource,
        sample=body.sample,
        force=body.force,
        user_id=principal.user_id,
    )
    return {"job_id": job_id}


@router.get("/api/v1/jobs/{job_id}")
def job(
    job_id: Annotated[str, Path(max_length=64)], _: AdminDep, session: SessionDep, container: ContainerDep
) -> dict[str, Any]:
    """A job's state, progress and result (admin)."""
    return dataset_views.job(session, container.jobs(), job_id)


@router.post("/api/v1/jobs/{job_id}/retry", status_code=202)
def retry_job(
    job_id: Annotated[str, Path(max_length=64)], _: AdminDep, container: ContainerDep
) -> dict[str, Any]:
    """Queue again a failed or cancelled job (admin; 409 when it is not over or done)."""
    return service.retry_job(container, job_id)


@router.post("/api/v1/jobs/{job_id}/cancel")
def cancel_job(
    job_id: Annotated[str, Path(max_length=64)], _: AdminDep, container: ContainerDep
) -> dict[str, Any]:
    """Cancel a queued, running or waiting job and its children (admin; 409 when it is over)."""
    return service.cancel_job(container, job_id)

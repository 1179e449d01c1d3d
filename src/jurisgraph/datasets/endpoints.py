"""HTTP endpoints of the STJ catalogue and ingestion (``/api/v1/datasets``, ``/api/v1/jobs``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import ConfigDict, Field

from jurisgraph.datasets import service
from jurisgraph.deps import MAX_KEY, MAX_NAME, ContainerDep, Page, SessionDep, paging
from jurisgraph.kit.inputs import RequestBody

router = APIRouter(tags=["datasets"])


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
def datasets(session: SessionDep, page: Annotated[Page, paging(100, 500)]) -> list[dict[str, Any]]:
    """Datasets with resource counts by status, by slug."""
    return service.overview(session, limit=page.limit, offset=page.offset)


@router.get("/api/v1/datasets/{slug}/resources")
def resources(
    slug: Annotated[str, Path(max_length=MAX_NAME)],
    session: SessionDep,
    page: Annotated[Page, paging(200, 1000)],
) -> list[dict[str, Any]]:
    """Resources of one dataset with their state and counts, by name."""
    return service.resources(session, slug, limit=page.limit, offset=page.offset)


@router.get("/api/v1/extraction-logs")
def extraction_logs(session: SessionDep, page: Annotated[Page, paging()]) -> list[dict[str, Any]]:
    """The latest pipeline actions."""
    return [service.log_dict(r) for r in service.latest_logs(session, page.limit, page.offset)]


@router.post("/api/v1/ingest", status_code=202)
def start_ingest(body: IngestRequest, container: ContainerDep) -> dict[str, str]:
    """Start an ingestion job; poll ``/api/v1/jobs/{id}``. The portal is the configured one or an
    allowed URL (a folder: 422; a URL off the list: 403); too many jobs queued: 429."""
    job_id = service.submit_ingest(
        container,
        portal=body.portal,
        dataset=body.dataset,
        resource=body.resource,
        sample=body.sample,
        force=body.force,
    )
    return {"job_id": job_id}


@router.get("/api/v1/jobs/{job_id}")
def job(
    job_id: Annotated[str, Path(max_length=64)], session: SessionDep, container: ContainerDep
) -> dict[str, Any]:
    """A job's state, progress and result."""
    return service.job(session, container.jobs(), job_id)

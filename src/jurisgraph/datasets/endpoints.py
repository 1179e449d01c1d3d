"""HTTP endpoints of the STJ catalogue and ingestion (``/api/v1/datasets``, ``/api/v1/jobs``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import Field

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.deps import MAX_KEY, MAX_NAME, ContainerDep, Page, SessionDep, paging
from jurisgraph.kit.inputs import RequestBody
from jurisgraph.pipeline.stages.selection import ResourceFilter

router = APIRouter(tags=["datasets"])


class IngestRequest(RequestBody):
    """What to ingest; everything optional."""

    portal: str | None = Field(None, description="Portal URL or mirror folder; default from configuration.")
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
    """Start an ingestion job; poll ``/api/v1/jobs/{id}``."""

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

    job_id = container.jobs().submit("ingest", body.model_dump(), work)
    return {"job_id": job_id}


@router.get("/api/v1/jobs/{job_id}")
def job(
    job_id: Annotated[str, Path(max_length=64)], session: SessionDep, container: ContainerDep
) -> dict[str, Any]:
    """A job's state, progress and result."""
    return service.job(session, container.jobs(), job_id)

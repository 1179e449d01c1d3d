"""HTTP endpoints of the STJ catalogue and ingestion (``/api/v1/datasets``, ``/api/v1/jobs``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
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
    _: UserDep, session: SessionDep, limit: int = Query(50, ge=1, le=500)
) -> list[dict[str, Any]]:
    """The latest pipeline actions."""
    return [service.log_dict(r) for r in service.latest_logs(session, limit)]


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

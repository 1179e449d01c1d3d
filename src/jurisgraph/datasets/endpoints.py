"""HTTP endpoints of the STJ catalogue and ingestion (``/api/datasets``, ``/api/jobs``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from jurisgraph.datasets import service
from jurisgraph.http import SessionDep, container_of
from jurisgraph.models import Dataset, ExtractionLog, Resource
from jurisgraph.pipeline.stages.selection import ResourceFilter

router = APIRouter(tags=["datasets"])


class IngestRequest(BaseModel):
    """What to ingest; everything optional."""

    portal: str | None = Field(None, description="Portal URL or mirror folder; default from configuration.")
    dataset: str | None = Field(None, description="Only this dataset slug.")
    resource: str | None = Field(None, description="Only this resource id.")
    sample: bool = Field(False, description="Ingest the bundled STJ sample instead.")
    force: bool = Field(False, description="Re-process unchanged resources.")


@router.get("/api/datasets")
def datasets(request: Request) -> list[dict[str, Any]]:
    """Datasets with resource counts by status."""
    return service.overview(container_of(request))


@router.get("/api/datasets/{slug}/resources")
def resources(slug: str, session: SessionDep) -> list[dict[str, Any]]:
    """Resources of one dataset with their state and counts."""
    rows = session.scalars(
        select(Resource)
        .join(Dataset, Dataset.id == Resource.dataset_id)
        .where(Dataset.slug == slug)
        .order_by(Resource.name)
    )
    return [
        {
            "id": r.resource_id,
            "name": r.name,
            "format": r.format,
            "size": r.file_size,
            "status": r.status,
            "error": r.error_message,
            "records": r.record_count,
            "skipped": r.skipped_count,
            "chunks": r.chunk_count,
            "entities": r.entity_count,
            "relations": r.relationship_count,
            "sha256": r.sha256,
            "last_modified": r.last_modified,
        }
        for r in rows
    ]


@router.get("/api/extraction-logs")
def extraction_logs(session: SessionDep, limit: int = Query(50, ge=1, le=500)) -> list[dict[str, Any]]:
    """The latest pipeline actions."""
    rows = session.scalars(select(ExtractionLog).order_by(ExtractionLog.id.desc()).limit(limit))
    return [
        {
            "id": r.id,
            "action": r.action,
            "status": r.status,
            "dataset": r.dataset_slug,
            "resource": r.resource_id,
            "records": r.records_processed,
            "chunks": r.chunks_generated,
            "entities": r.entities_extracted,
            "relations": r.relationships_extracted,
            "embeddings": r.embeddings_generated,
            "duration_ms": r.duration_ms,
            "error": r.error_message,
            "details": r.details,
            "created_at": r.created_at.isoformat(),
        }
        for r in rows
    ]


@router.post("/api/ingest", status_code=202)
def start_ingest(body: IngestRequest, request: Request) -> dict[str, str]:
    """Start an ingestion job; poll ``/api/jobs/{id}``."""
    container = container_of(request)

    def work(job_id: str, progress: Any) -> dict[str, Any]:
        # sparse index now (searchable at once); dense vectors follow in their own job
        if body.sample:
            report = service.load_sample(container, progress, dense=False)
        else:
            flt = ResourceFilter(dataset=body.dataset, resource=body.resource)
            report = service.ingest(
                container, body.portal, flt, force=body.force, dense=False, progress=progress
            )
        embed_job = service.start_background_embedding(container)
        return {"problems": report.problems, "embedding_job": embed_job, **service.corpus_counts(container)}

    job_id = service.jobs(container).submit("ingest", body.model_dump(), work)
    return {"job_id": job_id}


@router.get("/api/jobs/{job_id}")
def job(job_id: str, request: Request) -> dict[str, Any]:
    """A job's state, progress and result."""
    return service.jobs(container_of(request)).get(job_id)

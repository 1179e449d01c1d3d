"""HTTP endpoints of the vector store (``/api/v1/vectors``, admin only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from jurisgraph.deps import AdminDep, ContainerDep, Page, paging
from jurisgraph.vectors_ops import service

router = APIRouter(prefix="/api/v1/vectors", tags=["vectors"])


@router.get("/stats")
async def stats(
    _: AdminDep, container: ContainerDep, page: Annotated[Page, paging(100, 1000)]
) -> list[dict[str, Any]]:
    """Vector collections with their point counts, kind, model, dimension and aliases, and whether
    each is the live one of its kind, by name (admin; what ``jurisgraph vectors stats`` prints)."""
    rows = await run_in_threadpool(service.stats, container.vector_index())
    return [service.collection_dict(row) for row in rows[page.offset : page.offset + page.limit]]

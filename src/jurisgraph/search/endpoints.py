"""HTTP endpoint of retrieval (``/api/v1/search``)."""

from __future__ import annotations

from datetime import date

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import Response

from jurisgraph.deps import MAX_NAME, ContainerDep, QueryLaneDep, QueryLimitDep, WorkspacesDep
from jurisgraph.search import service

router = APIRouter(tags=["search"])


@router.get("/api/v1/search")
async def search(
    container: ContainerDep,
    workspaces: WorkspacesDep,
    lane: QueryLaneDep,
    _: QueryLimitDep,
    q: str = Query(..., min_length=1, max_length=2000, description="Question or keywords."),
    mode: service.Mode = Query("hybrid"),
    k: int = Query(10, ge=1, le=service.MAX_K),
    dataset: str | None = Query(None, max_length=MAX_NAME),
    orgao: str | None = Query(
        None, max_length=MAX_NAME, description="Órgão julgador as published, e.g. PRIMEIRA TURMA."
    ),
    relator: str | None = Query(None, max_length=MAX_NAME),
    classe: str | None = Query(None, max_length=MAX_NAME),
    date_from: date | None = Query(None, alias="from"),
    date_to: date | None = Query(None, alias="to"),
) -> Response:
    """The best passages with citation metadata."""
    filters = service.SearchFilters(
        dataset=dataset,
        orgao_julgador=orgao,
        relator=relator,
        classe=classe,
        date_from=date_from,
        date_to=date_to,
    )
    retrieval = container.retrieval()

    def found() -> bytes:
        passages = service.search(retrieval, q, workspaces, mode=mode, k=k, filters=filters)
        return orjson.dumps({"query": q, "mode": mode, "passages": [p.as_dict() for p in passages]})

    # retrieval and its JSON are CPU work: off the event loop, in the query lane, in turn
    return Response(await lane.run(found), media_type="application/json")

"""HTTP endpoints of the knowledge graph (``/api/v1/graph``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from jurisgraph.deps import MAX_KEY, Page, SessionDep, WorkspacesDep, paging
from jurisgraph.graph import service

router = APIRouter(prefix="/api/v1/graph", tags=["graph"])
#: the deepest community level a request may name
MAX_LEVEL = 32
EntityKey = Annotated[str, Path(max_length=MAX_KEY, description="Canonical key, e.g. tema:1076.")]
CommunityId = Annotated[str, Path(max_length=MAX_KEY)]


@router.get("/entities")
def entities(
    session: SessionDep,
    workspaces: WorkspacesDep,
    q: str | None = Query(None, max_length=200, description="Name fragment."),
    type: str | None = Query(
        None, max_length=64, description="Entity type, e.g. MINISTRO, TEMA, LEGISLACAO."
    ),
    page: Annotated[Page, paging()] = Page(50, 0),
) -> list[dict[str, Any]]:
    """Search entities by name and type."""
    return service.search_entities(session, workspaces, q, type, page.limit, page.offset)


@router.get("/entities/{entity_id:path}/neighbourhood")
def neighbourhood(
    entity_id: EntityKey,
    session: SessionDep,
    workspaces: WorkspacesDep,
    depth: int = Query(1, ge=1, le=3),
    limit: int = Query(150, ge=1, le=1000),
) -> dict[str, Any]:
    """Nodes and edges around an entity."""
    return service.neighbourhood(session, workspaces, entity_id, depth=depth, limit=limit)


@router.get("/entities/{entity_id:path}")
def entity(entity_id: EntityKey, session: SessionDep, workspaces: WorkspacesDep) -> dict[str, Any]:
    """One entity with its relations and the sources it was found in."""
    return service.entity_detail(session, workspaces, entity_id)


@router.get("/overview")
def overview(
    session: SessionDep,
    workspaces: WorkspacesDep,
    type: str | None = Query(None, max_length=64, description="Only nodes of this entity type."),
    limit: int = Query(100, ge=1, le=1000, description="Nodes to return, most mentioned first."),
    edge_limit: int = Query(500, ge=0, le=5000, description="Edges among them, heaviest first."),
) -> dict[str, Any]:
    """Visualisation data for the graph page: the most mentioned nodes and the edges among them."""
    return service.overview(session, workspaces, entity_type=type, limit=limit, edge_limit=edge_limit)


@router.get("/communities")
def communities(
    session: SessionDep,
    workspaces: WorkspacesDep,
    level: int | None = Query(None, ge=0, le=MAX_LEVEL),
    page: Annotated[Page, paging()] = Page(50, 0),
) -> list[dict[str, Any]]:
    """Communities, highest rank first."""
    return service.list_communities(session, workspaces, level, page.limit, page.offset)


@router.get("/communities/{community_id}")
def community(community_id: CommunityId, session: SessionDep, workspaces: WorkspacesDep) -> dict[str, Any]:
    """One community with its report and members."""
    return service.community_detail(session, workspaces, community_id)


@router.get("/stats")
def stats(session: SessionDep, workspaces: WorkspacesDep) -> dict[str, int]:
    """Entity counts per type."""
    return service.stats(session, workspaces)


@router.get("/stats/edges")
def edge_stats(session: SessionDep, workspaces: WorkspacesDep) -> dict[str, int]:
    """Edge counts per relationship type."""
    return service.edge_stats(session, workspaces)

"""Graph service: plain dictionaries for the API, the web pages and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jurisgraph.db import Session
from jurisgraph.errors import NotFound
from jurisgraph.graph import repository
from jurisgraph.models import Community, GraphEdge, GraphNode


def node_dict(node: GraphNode) -> dict[str, Any]:
    """A node as JSON-ready data."""
    return {
        "id": node.entity_id,
        "name": node.name,
        "type": node.entity_type,
        "description": node.description,
        "mention_count": node.mention_count,
        "community_id": node.community_id,
        "community_level": node.community_level,
        "attributes": node.metadata_ or {},
    }


def edge_dict(edge: GraphEdge) -> dict[str, Any]:
    """An edge as JSON-ready data."""
    return {
        "id": edge.edge_id,
        "source": edge.source_entity_id,
        "target": edge.target_entity_id,
        "type": edge.relationship_type,
        "weight": edge.weight,
        "mention_count": edge.mention_count,
        "description": edge.description,
    }


def community_dict(row: Community) -> dict[str, Any]:
    """A community as JSON-ready data."""
    return {
        "id": row.community_id,
        "level": row.level,
        "parent_id": row.parent_community_id,
        "title": row.title,
        "summary": row.summary,
        "report": row.full_report,
        "key_entities": row.key_entities or [],
        "findings": row.findings or [],
        "rating": row.rating,
        "entity_count": row.entity_count,
        "edge_count": row.edge_count,
        "rank": row.rank,
        "source": row.report_source,
    }


def search_entities(
    session: Session,
    workspace_ids: Sequence[int],
    text: str | None,
    entity_type: str | None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Entities matching a name fragment and/or a type."""
    return [
        node_dict(n)
        for n in repository.find_nodes(
            session, workspace_ids, text=text, entity_type=entity_type, limit=min(limit, 500), offset=offset
        )
    ]


def entity_detail(
    session: Session,
    workspace_ids: Sequence[int],
    entity_id: str,
    *,
    edge_limit: int = 100,
    source_limit: int = 20,
) -> dict[str, Any]:
    """A node with its relations (and the names of their other ends) and its sources."""
    node = repository.get_node(session, workspace_ids, entity_id)
    if node is None:
        raise NotFound(f"entity {entity_id!r} not found")
    edges = repository.edges_of(session, workspace_ids, [entity_id], edge_limit)
    others = {e.target_entity_id if e.source_entity_id == entity_id else e.source_entity_id for e in edges}
    names = {n.entity_id: n.name for n in repository.nodes_by_ids(session, workspace_ids, sorted(others))}
    relations = []
    for edge in edges:
        data = edge_dict(edge)
        data["source_name"] = names.get(
            edge.source_entity_id, node.name if edge.source_entity_id == entity_id else ""
        )
        data["target_name"] = names.get(
            edge.target_entity_id, node.name if edge.target_entity_id == entity_id else ""
        )
        relations.append(data)
    sources = [
        {
            "document": doc.key,
            "title": doc.title,
            "processo": doc.processo,
            "orgao_julgador": doc.orgao_julgador,
            "relator": doc.relator,
            "data_decisao": doc.data_decisao.isoformat() if doc.data_decisao else None,
            "source_url": doc.source_url,
            "chunk_id": chunk.id if chunk else None,
            "field": mention.field,
            "start": mention.start,
            "end": mention.end,
            "excerpt": _excerpt(doc.text_content, mention.start, mention.end),
        }
        for mention, doc, chunk in repository.sources_of(
            session, workspace_ids, "node", entity_id, source_limit
        )
    ]
    summary = repository.summary(session, node)
    return {**node_dict(node), "summary": summary, "relations": relations, "sources": sources}


def neighbourhood(
    session: Session, workspace_ids: Sequence[int], entity_id: str, *, depth: int = 1, limit: int = 150
) -> dict[str, Any]:
    """Nodes and edges within ``depth`` hops of an entity (for the graph view), heaviest edges first."""
    if repository.get_node(session, workspace_ids, entity_id) is None:
        raise NotFound(f"entity {entity_id!r} not found")
    frontier = [entity_id]
    seen_nodes = {entity_id}
    seen_edges: dict[str, GraphEdge] = {}
    for _ in range(max(1, min(depth, 3))):
        edges = repository.edges_of(session, workspace_ids, frontier, limit)
        frontier = []
        for edge in edges:
            if len(seen_nodes) >= limit:
                break
            seen_edges[edge.edge_id] = edge
            for end in (edge.source_entity_id, edge.target_entity_id):
                if end not in seen_nodes:
                    seen_nodes.add(end)
                    frontier.append(end)
        if not frontier:
            break
    nodes = repository.nodes_by_ids(session, workspace_ids, sorted(seen_nodes))
    present = {n.entity_id for n in nodes}
    return {
        "center": entity_id,
        "nodes": [node_dict(n) for n in sorted(nodes, key=lambda n: n.entity_id)],
        "edges": [
            edge_dict(e)
            for e in seen_edges.values()
            if e.source_entity_id in present and e.target_entity_id in present
        ],
    }


def overview(
    session: Session,
    workspace_ids: Sequence[int],
    *,
    entity_type: str | None = None,
    limit: int = 100,
    edge_limit: int = 500,
) -> dict[str, Any]:
    """Visualisation data for the whole graph: the ``limit`` most mentioned nodes (of
    ``entity_type`` when given) and the heaviest edges among them, with community ids for colours."""
    nodes = repository.top_nodes(session, workspace_ids, entity_type=entity_type, limit=limit)
    edges = repository.edges_among(session, workspace_ids, [n.entity_id for n in nodes], edge_limit)
    return {"nodes": [node_dict(n) for n in nodes], "edges": [edge_dict(e) for e in edges]}


def list_communities(
    session: Session,
    workspace_ids: Sequence[int],
    level: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Communities, highest rank first."""
    rows = repository.communities(session, workspace_ids, level, min(limit, 500), offset)
    return [community_dict(c) for c in rows]


def community_detail(session: Session, workspace_ids: Sequence[int], community_id: str) -> dict[str, Any]:
    """A community with its member entities."""
    row = repository.community(session, workspace_ids, community_id)
    if row is None:
        raise NotFound(f"community {community_id!r} not found")
    members = repository.members(session, workspace_ids, community_id, 200)
    return {**community_dict(row), "members": [node_dict(n) for n in members]}


def stats(session: Session, workspace_ids: Sequence[int]) -> dict[str, int]:
    """Entity counts per type."""
    return repository.type_counts(session, workspace_ids)


def edge_stats(session: Session, workspace_ids: Sequence[int]) -> dict[str, int]:
    """Edge counts per relationship type."""
    return repository.edge_type_counts(session, workspace_ids)


def _excerpt(text: str, start: int | None, end: int | None, margin: int = 160) -> str:
    if start is None or end is None:
        return text[: 2 * margin].strip()
    return text[max(0, start - margin) : min(len(text), end + margin)].strip()

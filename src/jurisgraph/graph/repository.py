"""Queries on graph nodes, edges, mentions and communities (read-only)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, or_, select

from jurisgraph.db import Session, in_batches
from jurisgraph.models import Chunk, Community, Document, EntitySummary, GraphEdge, GraphNode, Mention


def find_nodes(
    session: Session,
    workspace_ids: Sequence[int],
    *,
    text: str | None,
    entity_type: str | None,
    limit: int,
    offset: int = 0,
) -> list[GraphNode]:
    """Nodes whose name or key contains ``text`` (case-insensitive), most mentioned first."""
    query = select(GraphNode).where(GraphNode.workspace_id.in_(workspace_ids))
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(or_(func.lower(GraphNode.name).like(pattern), GraphNode.entity_id.like(pattern)))
    if entity_type:
        query = query.where(GraphNode.entity_type == entity_type)
    return list(
        session.scalars(
            query.order_by(GraphNode.mention_count.desc(), GraphNode.entity_id).limit(limit).offset(offset)
        )
    )


def get_node(session: Session, workspace_ids: Sequence[int], entity_id: str) -> GraphNode | None:
    """One node by canonical key."""
    return session.scalar(
        select(GraphNode).where(GraphNode.workspace_id.in_(workspace_ids), GraphNode.entity_id == entity_id)
    )


#: the columns of an edge a question's facts use (:func:`edge_facts`)
FACT_COLUMNS = (
    GraphEdge.edge_id,
    GraphEdge.source_entity_id,
    GraphEdge.target_entity_id,
    GraphEdge.relationship_type,
    GraphEdge.weight,
    GraphEdge.mention_count,
    GraphEdge.description,
)
#: the columns of a node a question's view uses (:func:`node_records`)
RECORD_COLUMNS = (
    GraphNode.entity_id,
    GraphNode.name,
    GraphNode.entity_type,
    GraphNode.description,
    GraphNode.community_id,
    GraphNode.mention_count,
    GraphNode.metadata_.label("metadata_"),
)


def edges_of(
    session: Session,
    workspace_ids: Sequence[int],
    entity_ids: Sequence[str],
    limit: int,
    types: Sequence[str] | None = None,
) -> list[GraphEdge]:
    """Edges with an end among ``entity_ids`` (of ``types`` when given), heaviest first.

    Each direction is read on its own index (an ``OR`` of the two ends made SQLite scan every
    edge of the workspace), at most ``limit`` heaviest per direction, then merged."""
    return _heaviest(session, workspace_ids, entity_ids, limit, types, None)


def edge_facts(
    session: Session,
    workspace_ids: Sequence[int],
    entity_ids: Sequence[str],
    limit: int,
    types: Sequence[str] | None = None,
) -> list[Row[Any]]:
    """The edges :func:`edges_of` finds, as rows of :data:`FACT_COLUMNS`: no ORM objects, several
    times cheaper on the path of every question."""
    return _heaviest(session, workspace_ids, entity_ids, limit, types, FACT_COLUMNS)


def _heaviest(
    session: Session,
    workspace_ids: Sequence[int],
    entity_ids: Sequence[str],
    limit: int,
    types: Sequence[str] | None,
    columns: Sequence[Any] | None,
) -> list[Any]:
    if not entity_ids:
        return []
    keys = sorted(set(entity_ids))
    order = (GraphEdge.weight.desc(), GraphEdge.mention_count.desc(), GraphEdge.edge_id)
    found: dict[str, Any] = {}
    for end in (GraphEdge.source_entity_id, GraphEdge.target_entity_id):
        for part in in_batches(keys):
            query = select(*columns) if columns else select(GraphEdge)
            query = query.where(GraphEdge.workspace_id.in_(workspace_ids), end.in_(part))
            if types:
                query = query.where(GraphEdge.relationship_type.in_(list(types)))
            result = session.execute(query.order_by(*order).limit(limit))
            for edge in result if columns else result.scalars():
                found.setdefault(edge.edge_id, edge)
    ranked = sorted(found.values(), key=lambda e: (-(e.weight or 0.0), -(e.mention_count or 0), e.edge_id))
    return ranked[:limit]


def nodes_by_ids(
    session: Session, workspace_ids: Sequence[int], entity_ids: Sequence[str]
) -> list[GraphNode]:
    """Nodes with these keys (duplicates ignored), one ``IN`` batch of sorted keys at a time."""
    found: list[GraphNode] = []
    for part in in_batches(sorted(set(entity_ids))):
        found += session.scalars(
            select(GraphNode).where(GraphNode.workspace_id.in_(workspace_ids), GraphNode.entity_id.in_(part))
        )
    return found


def node_records(session: Session, workspace_ids: Sequence[int], entity_ids: Sequence[str]) -> list[Row[Any]]:
    """The nodes :func:`nodes_by_ids` finds, as rows of :data:`RECORD_COLUMNS` (no ORM objects)."""
    found: list[Row[Any]] = []
    for part in in_batches(sorted(set(entity_ids))):
        found += session.execute(
            select(*RECORD_COLUMNS).where(
                GraphNode.workspace_id.in_(workspace_ids), GraphNode.entity_id.in_(part)
            )
        ).all()
    return found


def sources_of(
    session: Session, workspace_ids: Sequence[int], target_kind: str, target_id: str, limit: int
) -> list[tuple[Mention, Document, Chunk | None]]:
    """Where a node or edge was found: mention, document and chunk (for citations)."""
    rows = session.execute(
        select(Mention, Document, Chunk)
        .join(Document, Document.id == Mention.document_id)
        .join(Chunk, Chunk.id == Mention.chunk_id, isouter=True)
        .where(
            Mention.workspace_id.in_(workspace_ids),
            Mention.target_kind == target_kind,
            Mention.target_id == target_id,
        )
        .order_by(Document.key, Mention.start)
        .limit(limit)
    ).all()
    return [(m, d, c) for m, d, c in rows]


def communities(
    session: Session, workspace_ids: Sequence[int], level: int | None, limit: int, offset: int = 0
) -> list[Community]:
    """Communities, highest rank first."""
    query = select(Community).where(Community.workspace_id.in_(workspace_ids))
    if level is not None:
        query = query.where(Community.level == level)
    ordered = query.order_by(Community.rank.desc(), Community.community_id)
    return list(session.scalars(ordered.limit(limit).offset(offset)))


def community(session: Session, workspace_ids: Sequence[int], community_id: str) -> Community | None:
    """One community."""
    return session.scalar(
        select(Community).where(
            Community.workspace_id.in_(workspace_ids), Community.community_id == community_id
        )
    )


def members(session: Session, workspace_ids: Sequence[int], community_id: str, limit: int) -> list[GraphNode]:
    """Nodes whose finest community is ``community_id``, most mentioned first."""
    return list(
        session.scalars(
            select(GraphNode)
            .where(GraphNode.workspace_id.in_(workspace_ids), GraphNode.community_id == community_id)
            .order_by(GraphNode.mention_count.desc(), GraphNode.entity_id)
            .limit(limit)
        )
    )


def top_nodes(
    session: Session, workspace_ids: Sequence[int], *, entity_type: str | None, limit: int
) -> list[GraphNode]:
    """The ``limit`` most mentioned nodes (of ``entity_type`` when given)."""
    query = select(GraphNode).where(GraphNode.workspace_id.in_(workspace_ids))
    if entity_type:
        query = query.where(GraphNode.entity_type == entity_type)
    order = (GraphNode.mention_count.desc(), GraphNode.entity_id)
    return list(session.scalars(query.order_by(*order).limit(limit)))


def edges_among(
    session: Session, workspace_ids: Sequence[int], entity_ids: Sequence[str], limit: int
) -> list[GraphEdge]:
    """Edges whose both ends are among ``entity_ids``, heaviest first."""
    if not entity_ids:
        return []
    keys = sorted(set(entity_ids))
    query = select(GraphEdge).where(
        GraphEdge.workspace_id.in_(workspace_ids),
        GraphEdge.source_entity_id.in_(keys),
        GraphEdge.target_entity_id.in_(keys),
    )
    order = (GraphEdge.weight.desc(), GraphEdge.mention_count.desc(), GraphEdge.edge_id)
    return list(session.scalars(query.order_by(*order).limit(limit)))


def type_counts(session: Session, workspace_ids: Sequence[int]) -> dict[str, int]:
    """Number of nodes per entity type."""
    rows = session.execute(
        select(GraphNode.entity_type, func.count())
        .where(GraphNode.workspace_id.in_(workspace_ids))
        .group_by(GraphNode.entity_type)
    ).all()
    return {kind: count for kind, count in rows}


def edge_type_counts(session: Session, workspace_ids: Sequence[int]) -> dict[str, int]:
    """Number of edges per relationship type."""
    rows = session.execute(
        select(GraphEdge.relationship_type, func.count())
        .where(GraphEdge.workspace_id.in_(workspace_ids))
        .group_by(GraphEdge.relationship_type)
    ).all()
    return {kind: count for kind, count in rows}


def summary(session: Session, node: GraphNode) -> str | None:
    """The LLM summary of ``node`` if one matches its current merged description."""
    if not node.description:
        return None
    row = session.get(EntitySummary, (node.workspace_id, node.entity_id))
    if row is None or row.descriptions_hash != hashlib.sha256(node.description.encode("utf-8")).hexdigest():
        return None
    return row.summary

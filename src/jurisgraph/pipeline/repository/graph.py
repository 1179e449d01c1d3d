"""Queries on the graph: ``graph_nodes`` and ``graph_edges`` as built from ``mentions``, and
``entity_summaries``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from jurisgraph.db import insert_rows
from jurisgraph.models import Base, Chunk, Document, EntitySummary, GraphEdge, GraphNode, Mention, Resource
from jurisgraph.pipeline.provenance import Targets
from jurisgraph.pipeline.repository import in_batches

#: Columns of the rows :func:`insert_nodes` takes.
NODE_COLUMNS = (
    "workspace_id",
    "entity_id",
    "name",
    "entity_type",
    "description",
    "source",
    "mention_count",
    "metadata",
    "created_at",
    "updated_at",
)
#: Columns of the rows :func:`insert_edges` takes.
EDGE_COLUMNS = (
    "workspace_id",
    "edge_id",
    "source_entity_id",
    "target_entity_id",
    "relationship_type",
    "description",
    "weight",
    "mention_count",
    "created_at",
    "updated_at",
)
#: target kind → (model, id column)
_KINDS: dict[str, tuple[Any, Any]] = {
    "node": (GraphNode, GraphNode.entity_id),
    "edge": (GraphEdge, GraphEdge.edge_id),
}


def present_targets(session: Session, workspace_id: int, kind: str, ids: Sequence[str]) -> set[str]:
    """Those of ``ids`` that have a row of ``kind`` (node or edge) in the workspace."""
    model, column = _KINDS[kind]
    found: set[str] = set()
    for part in in_batches(ids):
        found.update(
            session.scalars(select(column).where(model.workspace_id == workspace_id, column.in_(part)))
        )
    return found


def stored_targets(session: Session, workspace_id: int, kind: str) -> list[str]:
    """Ids of every node or edge (``kind``) of the workspace."""
    model, column = _KINDS[kind]
    return list(session.scalars(select(column).where(model.workspace_id == workspace_id)))


def mentioned_targets(session: Session, workspace_id: int) -> Targets:
    """Every target with at least one mention in the workspace."""
    rows = session.execute(
        select(Mention.target_kind, Mention.target_id).where(Mention.workspace_id == workspace_id).distinct()
    )
    return {(kind, target) for kind, target in rows}


def targets_of_resources_in_status(session: Session, workspace_id: int, status: str) -> Targets:
    """Targets mentioned by the workspace's documents whose resource is in ``status``."""
    waiting = (
        select(Document.id)
        .join(Resource, Resource.id == Document.resource_id)
        .where(Document.workspace_id == workspace_id, Resource.status == status)
    )
    rows = session.execute(
        select(Mention.target_kind, Mention.target_id).where(Mention.document_id.in_(waiting)).distinct()
    )
    return {(kind, target) for kind, target in rows}


def unmentioned_targets(session: Session, workspace_id: int, kind: str) -> list[str]:
    """Ids of the workspace's nodes or edges (``kind``) that no mention supports."""
    model, column = _KINDS[kind]
    supported = select(Mention.id).where(
        Mention.workspace_id == workspace_id, Mention.target_kind == kind, Mention.target_id == column
    )
    return list(
        session.scalars(select(column).where(model.workspace_id == workspace_id, ~supported.exists()))
    )


def mention_contributions(
    session: Session, workspace_id: int, kind: str, ids: Sequence[str]
) -> list[tuple[str, int, dict[str, Any] | None]]:
    """(target id, count, contribution) of every mention of the given nodes or edges (``kind``)."""
    rows = session.execute(
        select(Mention.target_id, Mention.count, Mention.contribution).where(
            Mention.workspace_id == workspace_id, Mention.target_kind == kind, Mention.target_id.in_(ids)
        )
    )
    return [(target, count, contribution) for target, count, contribution in rows]


def delete_targets(session: Session, workspace_id: int, kind: str, ids: Sequence[str]) -> None:
    """Delete the given nodes or edges (``kind``) of the workspace."""
    model, column = _KINDS[kind]
    session.execute(delete(model).where(model.workspace_id == workspace_id, column.in_(ids)))


def insert_nodes(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """Insert nodes, one value tuple in :data:`NODE_COLUMNS` order each."""
    insert_rows(session, Base.metadata.tables[GraphNode.__tablename__], NODE_COLUMNS, rows)


def insert_edges(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """Insert edges, one value tuple in :data:`EDGE_COLUMNS` order each."""
    insert_rows(session, Base.metadata.tables[GraphEdge.__tablename__], EDGE_COLUMNS, rows)


def nodes(session: Session, workspace_id: int) -> list[tuple[str, str, str, str | None, int, str | None]]:
    """(entity id, name, type, description, mention count, community id) of the workspace's nodes, by id."""
    return [
        (key, name, kind, description, count, community)
        for key, name, kind, description, count, community in session.execute(
            select(
                GraphNode.entity_id,
                GraphNode.name,
                GraphNode.entity_type,
                GraphNode.description,
                GraphNode.mention_count,
                GraphNode.community_id,
            )
            .where(GraphNode.workspace_id == workspace_id)
            .order_by(GraphNode.entity_id)
        )
    ]


def edges(session: Session, workspace_id: int) -> list[tuple[str, str, str, float, int]]:
    """(source, target, type, weight, mention count) of the workspace's edges, by edge id."""
    return [
        (source, target, kind, weight, count)
        for source, target, kind, weight, count in session.execute(
            select(
                GraphEdge.source_entity_id,
                GraphEdge.target_entity_id,
                GraphEdge.relationship_type,
                GraphEdge.weight,
                GraphEdge.mention_count,
            )
            .where(GraphEdge.workspace_id == workspace_id)
            .order_by(GraphEdge.edge_id)
        )
    ]


def nodes_by_mentions(
    session: Session,
    workspace_id: int,
    *,
    community_ids: Sequence[str] | None = None,
    described: bool = False,
    limit: int | None = None,
) -> list[tuple[str, str, str, str | None]]:
    """(entity id, name, type, description) of the workspace's nodes, most mentioned first (ties
    by id): only those in ``community_ids`` when given, only those with a description when
    ``described``, at most ``limit``."""
    query = select(GraphNode.entity_id, GraphNode.name, GraphNode.entity_type, GraphNode.description).where(
        GraphNode.workspace_id == workspace_id
    )
    if community_ids is not None:
        query = query.where(GraphNode.community_id.in_(community_ids))
    if described:
        query = query.where(GraphNode.description.is_not(None))
    query = query.order_by(GraphNode.mention_count.desc(), GraphNode.entity_id)
    if limit is not None:
        query = query.limit(limit)
    return [(key, name, kind, description) for key, name, kind, description in session.execute(query)]


def located_mentions(
    session: Session, workspace_id: int, node_ids: Sequence[str]
) -> Iterator[tuple[str, int | None, int | None, str, int]]:
    """(node id, mention start, mention end, chunk text, chunk start) of the located mentions of
    the given nodes, by node, document key (never a row id: the order must not depend on the
    order in which processes wrote documents) and position within each slice of
    :data:`~jurisgraph.db.IN_BATCH` ids."""
    for part in in_batches(node_ids):
        yield from session.execute(
            select(Mention.target_id, Mention.start, Mention.end, Chunk.text, Chunk.start)
            .join(Chunk, Chunk.id == Mention.chunk_id)
            .join(Document, Document.id == Mention.document_id)
            .where(
                Mention.workspace_id == workspace_id,
                Mention.target_kind == "node",
                Mention.target_id.in_(part),
                Mention.start.is_not(None),
            )
            .order_by(Mention.target_id, Document.key, Mention.start)
        )


def first_chunk_text(session: Session, workspace_id: int, node_id: str) -> str | None:
    """Text of the first chunk (by document key, then position) that mentions the node."""
    return session.scalar(
        select(Chunk.text)
        .join(Mention, Mention.chunk_id == Chunk.id)
        .join(Document, Document.id == Mention.document_id)
        .where(
            Mention.workspace_id == workspace_id, Mention.target_kind == "node", Mention.target_id == node_id
        )
        .order_by(Document.key, Chunk.idx)
        .limit(1)
    )


def set_communities(session: Session, workspace_id: int, assignment: dict[str, tuple[str, int]]) -> None:
    """Each node of ``assignment`` (entity id → (community id, level)) gets its community; the
    workspace's other nodes get none."""
    session.execute(
        update(GraphNode)
        .where(GraphNode.workspace_id == workspace_id)
        .values(community_id=None, community_level=None)
    )
    ids = dict(
        session.execute(
            select(GraphNode.entity_id, GraphNode.id).where(GraphNode.workspace_id == workspace_id)
        ).all()
    )
    params = [
        {"id": ids[key], "community_id": cid, "community_level": level}
        for key, (cid, level) in assignment.items()
        if key in ids
    ]
    if params:
        session.execute(update(GraphNode), params)


def edges_within(
    session: Session, workspace_id: int, node_ids: Sequence[str], limit: int
) -> list[tuple[str, str, str, str | None]]:
    """(source, type, target, description) of the ``limit`` heaviest edges between the given nodes."""
    return [
        (source, kind, target, description)
        for source, kind, target, description in session.execute(
            select(
                GraphEdge.source_entity_id,
                GraphEdge.relationship_type,
                GraphEdge.target_entity_id,
                GraphEdge.description,
            )
            .where(
                GraphEdge.workspace_id == workspace_id,
                GraphEdge.source_entity_id.in_(node_ids),
                GraphEdge.target_entity_id.in_(node_ids),
            )
            .order_by(GraphEdge.weight.desc(), GraphEdge.edge_id)
            .limit(limit)
        )
    ]


def summary_hashes(session: Session, workspace_id: int) -> dict[str, str]:
    """Entity id → the descriptions hash its stored summary is valid for."""
    rows = session.execute(
        select(EntitySummary.entity_id, EntitySummary.descriptions_hash).where(
            EntitySummary.workspace_id == workspace_id
        )
    )
    return {key: digest for key, digest in rows}


def save_summary(session: Session, summary: EntitySummary) -> None:
    """Insert or replace the entity's summary."""
    session.merge(summary)

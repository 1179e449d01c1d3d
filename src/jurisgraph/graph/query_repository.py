"""SQL of the graph query mode: typed edge walks, nodes with their typed metadata, and the
source records (documents) that state an edge or are an entity's own record.

Every read is limited to the caller's workspaces. Edge walks filter on
``(workspace_id, relationship_type, source|target)``, which migration 0005 indexes; a citation
walk reads edges and the mentions that state them from the covering indexes of migration 0006.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from jurisgraph.db import Session, in_batches
from jurisgraph.models import Document, GraphEdge, GraphNode, Mention

HEAD = 600


@dataclass(frozen=True, slots=True)
class EdgeRow:
    """One typed edge."""

    source: str
    type: str
    target: str
    edge_id: str


@dataclass(frozen=True, slots=True)
class NodeRow:
    """One node with its typed metadata."""

    key: str
    name: str
    type: str
    metadata: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CitingRow:
    """A record that states a citing edge: who cites what, and the record's filter fields."""

    source: str
    target: str
    document_key: str
    day: date | None
    orgao_julgador: str | None
    processo: str | None


@dataclass(frozen=True, slots=True)
class RecordRow:
    """A source record: the document that proves a row of an answer."""

    document_key: str
    kind: str
    title: str
    processo: str | None
    orgao_julgador: str | None
    relator: str | None
    day: date | None
    source_url: str | None
    head: str


def _edges(session: Session, where: list[Any]) -> list[EdgeRow]:
    query = select(
        GraphEdge.source_entity_id, GraphEdge.relationship_type, GraphEdge.target_entity_id, GraphEdge.edge_id
    ).where(*where)
    return [EdgeRow(*row) for row in session.execute(query)]


def edges_from(
    session: Session, workspace_ids: Sequence[int], types: Sequence[str], sources: Sequence[str]
) -> list[EdgeRow]:
    """Edges of ``types`` leaving ``sources``."""
    found: list[EdgeRow] = []
    for part in in_batches(sorted(set(sources))):
        found += _edges(
            session,
            [
                GraphEdge.workspace_id.in_(workspace_ids),
                GraphEdge.relationship_type.in_(list(types)),
                GraphEdge.source_entity_id.in_(part),
            ],
        )
    return found


def edges_to(
    session: Session, workspace_ids: Sequence[int], types: Sequence[str], targets: Sequence[str]
) -> list[EdgeRow]:
    """Edges of ``types`` reaching ``targets``."""
    found: list[EdgeRow] = []
    for part in in_batches(sorted(set(targets))):
        found += _edges(
            session,
            [
                GraphEdge.workspace_id.in_(workspace_ids),
                GraphEdge.relationship_type.in_(list(types)),
                GraphEdge.target_entity_id.in_(part),
            ],
        )
    return found


def relator_links(
    session: Session, workspace_ids: Sequence[int], ministro: str, types: Sequence[str], target_prefix: str
) -> list[EdgeRow]:
    """Edges of ``types`` leaving the processos ``ministro`` is relator of and reaching a key
    starting with ``target_prefix``: one join, so a minister of thousands of processos is one
    query walked by the (type, source) indexes, not thousands of lookups."""
    relator = aliased(GraphEdge)
    link = aliased(GraphEdge)
    query = (
        select(link.source_entity_id, link.relationship_type, link.target_entity_id, link.edge_id)
        .join(relator, relator.target_entity_id == link.source_entity_id)
        .where(
            relator.workspace_id.in_(workspace_ids),
            relator.relationship_type == "RELATOR_DE",
            relator.source_entity_id == ministro,
            link.workspace_id.in_(workspace_ids),
            link.relationship_type.in_(list(types)),
            link.target_entity_id.startswith(target_prefix, autoescape=True),
        )
        .distinct()
    )
    return [EdgeRow(*row) for row in session.execute(query)]


def edges_of_type(session: Session, workspace_ids: Sequence[int], types: Sequence[str]) -> list[EdgeRow]:
    """Every edge of ``types``."""
    return _edges(
        session,
        [GraphEdge.workspace_id.in_(workspace_ids), GraphEdge.relationship_type.in_(list(types))],
    )


def _node(row: Any) -> NodeRow:
    return NodeRow(row[0], row[1], row[2], row[3] or {})


def nodes(session: Session, workspace_ids: Sequence[int], keys: Sequence[str]) -> dict[str, NodeRow]:
    """Nodes by key (the first workspace's when a key is in several)."""
    found: dict[str, NodeRow] = {}
    for part in in_batches(sorted(set(keys))):
        query = select(GraphNode.entity_id, GraphNode.name, GraphNode.entity_type, GraphNode.metadata_).where(
            GraphNode.workspace_id.in_(workspace_ids), GraphNode.entity_id.in_(part)
        )
        for row in session.execute(query.order_by(GraphNode.workspace_id)):
            found.setdefault(row[0], _node(row))
    return found


def nodes_of_type(session: Session, workspace_ids: Sequence[int], entity_type: str) -> dict[str, NodeRow]:
    """Every node of ``entity_type``."""
    query = select(GraphNode.entity_id, GraphNode.name, GraphNode.entity_type, GraphNode.metadata_).where(
        GraphNode.workspace_id.in_(workspace_ids), GraphNode.entity_type == entity_type
    )
    found: dict[str, NodeRow] = {}
    for row in session.execute(query.order_by(GraphNode.workspace_id)):
        found.setdefault(row[0], _node(row))
    return found


def ministers(session: Session, workspace_ids: Sequence[int]) -> list[tuple[str, str]]:
    """(key, name) of every minister node."""
    query = (
        select(GraphNode.entity_id, GraphNode.name)
        .where(GraphNode.workspace_id.in_(workspace_ids), GraphNode.entity_type == "MINISTRO")
        .distinct()
        .order_by(GraphNode.entity_id, GraphNode.name)
    )
    return [(row[0], row[1]) for row in session.execute(query)]


_RECORD = (
    Document.key,
    Document.kind,
    Document.title,
    Document.processo,
    Document.orgao_julgador,
    Document.relator,
    func.coalesce(Document.data_decisao, Document.data_publicacao),
    Document.source_url,
    func.substr(Document.text_content, 1, HEAD),
)


def records(session: Session, workspace_ids: Sequence[int], keys: Sequence[str]) -> dict[str, RecordRow]:
    """Documents by key (an entity's own record has the entity's key: ``tema:1076``)."""
    found: dict[str, RecordRow] = {}
    for part in in_batches(sorted(set(keys))):
        query = select(*_RECORD).where(Document.workspace_id.in_(workspace_ids), Document.key.in_(part))
        for row in session.execute(query):
            found.setdefault(row[0], RecordRow(*row))
    return found


def edge_records(
    session: Session,
    workspace_ids: Sequence[int],
    edge_ids: Sequence[str],
    fields: Sequence[str] | None = None,
) -> dict[str, list[RecordRow]]:
    """For each edge id, the documents that state it (by document key); with ``fields``, only
    documents that state it in one of those structured fields."""
    found: dict[str, dict[str, RecordRow]] = {}
    for part in in_batches(sorted(set(edge_ids))):
        query = (
            select(Mention.target_id, *_RECORD)
            .join(Document, Document.id == Mention.document_id)
            .where(
                Mention.workspace_id.in_(workspace_ids),
                Mention.target_kind == "edge",
                Mention.target_id.in_(part),
            )
        )
        if fields:
            query = query.where(Mention.field.in_(list(fields)))
        for row in session.execute(query):
            found.setdefault(row[0], {}).setdefault(row[1], RecordRow(*row[1:]))
    return {edge: [rows[k] for k in sorted(rows)] for edge, rows in found.items()}


def stated_in(
    session: Session, workspace_ids: Sequence[int], edge_ids: Sequence[str], fields: Sequence[str]
) -> set[str]:
    """The edges of ``edge_ids`` that some record states in one of the structured ``fields``."""
    found: set[str] = set()
    for part in in_batches(sorted(set(edge_ids))):
        query = (
            select(Mention.target_id)
            .where(
                Mention.workspace_id.in_(workspace_ids),
                Mention.target_kind == "edge",
                Mention.target_id.in_(part),
                Mention.field.in_(list(fields)),
            )
            .distinct()
        )
        found.update(row[0] for row in session.execute(query))
    return found


def citing(
    session: Session,
    workspace_ids: Sequence[int],
    types: Sequence[str],
    targets: Sequence[str],
    *,
    source_prefix: str,
    fields: Sequence[str] | None = None,
    orgao_like: str | None = None,
    classe: str | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
) -> list[CitingRow]:
    """The records (not of kind ``tema``) that state an edge of ``types`` from a key starting
    with ``source_prefix`` to one of ``targets``: one join of edges, mentions and documents,
    filtered in SQL, reading no record text.

    ``orgao_like`` (a LIKE pattern) and ``classe`` (a processo prefix) narrow the rows in SQL
    and may let through more than an exact, accent-insensitive comparison would: the caller
    checks the returned fields. The day range (the decision's or else the publication's date)
    is exact. A record stating an edge in two fields comes twice (the caller keeps one)."""
    day = func.coalesce(Document.data_decisao, Document.data_publicacao)
    where: list[Any] = [
        GraphEdge.workspace_id.in_(workspace_ids),
        GraphEdge.relationship_type.in_(list(types)),
        GraphEdge.source_entity_id.startswith(source_prefix, autoescape=True),
        Mention.workspace_id.in_(workspace_ids),
        Mention.target_kind == "edge",
        Document.kind != "tema",
    ]
    if fields:
        where.append(Mention.field.in_(list(fields)))
    if orgao_like is not None:
        where.append(Document.orgao_julgador.like(orgao_like))
    if classe:
        where.append(Document.processo.startswith(classe + " ", autoescape=True))
    if day_from is not None:
        where.append(day >= day_from)
    if day_to is not None:
        where.append(day <= day_to)
    found: list[CitingRow] = []
    for part in in_batches(sorted(set(targets))):
        query = (
            select(
                GraphEdge.source_entity_id,
                GraphEdge.target_entity_id,
                Document.key,
                day,
                Document.orgao_julgador,
                Document.processo,
            )
            .join(Mention, Mention.target_id == GraphEdge.edge_id)
            .join(Document, Document.id == Mention.document_id)
            .where(GraphEdge.target_entity_id.in_(part), *where)
        )
        # Core rows (no ORM result layer): a walk may return tens of thousands
        found += [CitingRow(*row) for row in session.connection().execute(query)]
    return found


def process_records(
    session: Session, workspace_ids: Sequence[int], processo: str, limit: int = 20
) -> list[RecordRow]:
    """The documents of one processo as published (``AREsp 1013333``), newest first."""
    query = (
        select(*_RECORD)
        .where(Document.workspace_id.in_(workspace_ids), Document.processo == processo)
        .order_by(func.coalesce(Document.data_decisao, Document.data_publicacao).desc(), Document.key)
        .limit(limit)
    )
    return [RecordRow(*row) for row in session.execute(query)]


def keys_like(
    session: Session, workspace_ids: Sequence[int], prefix: str, suffix: str, limit: int = 10
) -> list[str]:
    """Node keys starting with ``prefix`` and ending with ``suffix`` (``processo:`` … ``_1013333``)."""
    query = (
        select(GraphNode.entity_id)
        .where(
            GraphNode.workspace_id.in_(workspace_ids),
            GraphNode.entity_id.startswith(prefix, autoescape=True),
            GraphNode.entity_id.endswith(suffix, autoescape=True),
        )
        .distinct()
        .order_by(GraphNode.entity_id)
        .limit(limit)
    )
    return [row[0] for row in session.execute(query)]


def description(session: Session, workspace_ids: Sequence[int], key: str) -> str:
    """The description of a node (a súmula's enunciado, a judged tema's tese); empty when none."""
    query = (
        select(GraphNode.description)
        .where(GraphNode.workspace_id.in_(workspace_ids), GraphNode.entity_id == key)
        .order_by(GraphNode.workspace_id)
        .limit(1)
    )
    return session.scalar(query) or ""

"""Queries of the ask service: entity names, common neighbours, the records and mentions that
state nodes and edges (for citations), communities, and the rag_queries audit table. Nodes by
key and the edges around them are the graph's (:mod:`jurisgraph.graph.repository`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from jurisgraph.db import Session, in_batches
from jurisgraph.models import (
    Chunk,
    Community,
    Dataset,
    Document,
    GraphEdge,
    GraphNode,
    Mention,
    RagQuery,
    Resource,
)
from jurisgraph.search.service import SearchFilters

#: ``documents.kind`` of an uploaded file (its sources carry pages)
UPLOAD = "upload"
#: a document shorter than this is cited whole (a tema's record, an íntegra's metadata)
SHORT_DOCUMENT = 4000


@dataclass(frozen=True, slots=True)
class SourceRow:
    """Where a node or an edge is stated: document, chunk and (when known) the exact span."""

    target_id: str
    document_key: str
    kind: str
    title: str
    processo: str | None
    orgao_julgador: str | None
    relator: str | None
    day: date | None
    source_url: str | None
    head: str
    chunk_id: str | None
    chunk_start: int | None
    chunk_end: int | None
    chunk_text: str | None
    start: int | None
    end: int | None
    field: str | None
    #: an uploaded document's row id and page spans (``metadata["pages"]``), else None
    document_id: int | None = None
    pages: list[dict[str, int]] | None = None

    @property
    def short(self) -> bool:
        """The whole document text is in ``head``."""
        return len(self.head) <= SHORT_DOCUMENT


def _document_filters(filters: SearchFilters | None) -> list[ColumnElement[bool]]:
    if filters is None:
        return []
    conditions: list[ColumnElement[bool]] = []
    for column, value in (
        (Document.orgao_julgador, filters.orgao_julgador),
        (Document.relator, filters.relator),
        (Document.classe, filters.classe),
    ):
        if value:
            conditions.append(func.upper(column) == value.strip().upper())
    day = func.coalesce(Document.data_decisao, Document.data_publicacao)
    if filters.date_from:
        conditions.append(day >= filters.date_from)
    if filters.date_to:
        conditions.append(day <= filters.date_to)
    if filters.dataset:
        conditions.append(
            Document.resource_id.in_(
                select(Resource.id)
                .join(Dataset, Dataset.id == Resource.dataset_id)
                .where(Dataset.slug == filters.dataset)
            )
        )
    return conditions


def linkable_names(
    session: Session, workspace_ids: Sequence[int], types: Sequence[str]
) -> list[tuple[str, str, str, int]]:
    """(key, name, type, mention count) of the nodes that can be named in a question."""
    rows = session.execute(
        select(GraphNode.entity_id, GraphNode.name, GraphNode.entity_type, GraphNode.mention_count).where(
            GraphNode.workspace_id.in_(workspace_ids), GraphNode.entity_type.in_(list(types))
        )
    ).all()
    return [(key, name, kind, count or 0) for key, name, kind, count in rows]


def names_stamp(session: Session, workspace_ids: Sequence[int]) -> tuple[int, int, str]:
    """Changes whenever nodes are added, removed or renamed (count, highest id, last update)."""
    count, highest, updated = session.execute(
        select(func.count(GraphNode.id), func.max(GraphNode.id), func.max(GraphNode.updated_at)).where(
            GraphNode.workspace_id.in_(workspace_ids)
        )
    ).one()
    return int(count or 0), int(highest or 0), str(updated or "")


def _neighbours(
    session: Session, workspace_ids: Sequence[int], key: str, limit: int
) -> dict[str, tuple[str, float]]:
    """Other end → (edge id, weight) of the heaviest edges of ``key``, each direction on its index."""
    found: dict[str, tuple[str, float]] = {}
    for mine, other in (
        (GraphEdge.source_entity_id, GraphEdge.target_entity_id),
        (GraphEdge.target_entity_id, GraphEdge.source_entity_id),
    ):
        rows = session.execute(
            select(other, GraphEdge.edge_id, GraphEdge.weight)
            .where(GraphEdge.workspace_id.in_(workspace_ids), mine == key)
            .order_by(GraphEdge.weight.desc(), GraphEdge.edge_id)
            .limit(limit)
        )
        for end, edge_id, weight in rows:
            found.setdefault(end, (edge_id, float(weight or 0.0)))
    return found


def degree(session: Session, workspace_ids: Sequence[int], key: str) -> int:
    """Number of edges of ``key``."""
    total = 0
    for column in (GraphEdge.source_entity_id, GraphEdge.target_entity_id):
        total += (
            session.scalar(
                select(func.count())
                .select_from(GraphEdge)
                .where(GraphEdge.workspace_id.in_(workspace_ids), column == key)
            )
            or 0
        )
    return total


def common_neighbours(
    session: Session, workspace_ids: Sequence[int], left: str, right: str, limit: int, scan: int = 2000
) -> list[tuple[str, str, str]]:
    """Entities adjacent to both ``left`` and ``right``: (entity, edge with left, edge with right),
    heaviest first. The side with fewer edges is scanned (at most ``scan`` of them), then its
    neighbours' edges with the other side are looked up on the indexes."""
    if degree(session, workspace_ids, right) < degree(session, workspace_ids, left):
        return [(m, a, b) for m, b, a in common_neighbours(session, workspace_ids, right, left, limit, scan)]
    near = _neighbours(session, workspace_ids, left, scan)
    near.pop(right, None)
    found: dict[str, tuple[str, float]] = {}
    for part in in_batches(sorted(near)):
        for mine, other in (
            (GraphEdge.source_entity_id, GraphEdge.target_entity_id),
            (GraphEdge.target_entity_id, GraphEdge.source_entity_id),
        ):
            rows = session.execute(
                select(other, GraphEdge.edge_id, GraphEdge.weight).where(
                    GraphEdge.workspace_id.in_(workspace_ids), mine == right, other.in_(part)
                )
            )
            for end, edge_id, weight in rows:
                found.setdefault(end, (edge_id, float(weight or 0.0)))
    ranked = sorted(found, key=lambda end: (-(near[end][1] + found[end][1]), end))[:limit]
    return [(end, near[end][0], found[end][0]) for end in ranked]


def _source_query(kind: str, filters: SearchFilters | None) -> Select[Any]:
    return (
        select(
            Mention.target_id,
            Document.key,
            Document.kind,
            Document.title,
            Document.processo,
            Document.orgao_julgador,
            Document.relator,
            func.coalesce(Document.data_decisao, Document.data_publicacao),
            Document.source_url,
            func.substr(Document.text_content, 1, SHORT_DOCUMENT + 1),
            Chunk.id,
            Chunk.start,
            Chunk.end,
            Chunk.text,
            Mention.start,
            Mention.end,
            Mention.field,
        )
        .join(Document, Document.id == Mention.document_id)
        .join(Chunk, Chunk.id == Mention.chunk_id, isouter=True)
        .where(Mention.target_kind == kind, *_document_filters(filters))
    )


def mention_sources(
    session: Session,
    workspace_ids: Sequence[int],
    kind: str,
    targets: Sequence[str],
    filters: SearchFilters | None,
    per_target: int = 3,
) -> dict[str, list[SourceRow]]:
    """For each node or edge id, up to ``per_target`` places that state it; the entity's own
    record first, then records with an exact span, then by document key."""
    found: dict[str, list[SourceRow]] = {}
    for part in in_batches(sorted(set(targets))):
        query = _source_query(kind, filters).where(
            Mention.workspace_id.in_(workspace_ids), Mention.target_id.in_(part)
        )
        for row in session.execute(
            query.order_by(Mention.target_id, Document.key, Mention.id).limit(20 * len(part))
        ):
            found.setdefault(row[0], []).append(SourceRow(*row))
    chosen = {key: sorted(rows, key=_preference)[:per_target] for key, rows in found.items()}
    uploads = _upload_pages(
        session, {r.document_key for rows in chosen.values() for r in rows if r.kind == UPLOAD}
    )
    if uploads:
        chosen = {
            key: [
                replace(r, document_id=uploads[r.document_key][0], pages=uploads[r.document_key][1])
                if r.document_key in uploads and r.kind == UPLOAD
                else r
                for r in rows
            ]
            for key, rows in chosen.items()
        }
    return chosen


def _upload_pages(session: Session, keys: set[str]) -> dict[str, tuple[int, list[dict[str, int]]]]:
    """Row id and page spans of the uploaded documents with these keys."""
    found: dict[str, tuple[int, list[dict[str, int]]]] = {}
    for part in in_batches(sorted(keys)):
        for key, doc_id, meta in session.execute(
            select(Document.key, Document.id, Document.metadata_).where(
                Document.kind == UPLOAD, Document.key.in_(part)
            )
        ):
            found[key] = (doc_id, list((meta or {}).get("pages") or []))
    return found


def _preference(row: SourceRow) -> tuple[int, int, str]:
    own = 0 if row.document_key == row.target_id else 1
    return own, 0 if row.start is not None else 1, row.document_key


def record_documents(
    session: Session, workspace_ids: Sequence[int], keys: Sequence[str], filters: SearchFilters | None
) -> dict[str, SourceRow]:
    """Documents that are the record of an entity (the document key is the entity key: ``tema:1076``)."""
    found: dict[str, SourceRow] = {}
    for part in in_batches(sorted(set(keys))):
        rows = session.execute(
            select(
                Document.key,
                Document.key,
                Document.kind,
                Document.title,
                Document.processo,
                Document.orgao_julgador,
                Document.relator,
                func.coalesce(Document.data_decisao, Document.data_publicacao),
                Document.source_url,
                func.substr(Document.text_content, 1, SHORT_DOCUMENT + 1),
            ).where(
                Document.workspace_id.in_(workspace_ids), Document.key.in_(part), *_document_filters(filters)
            )
        ).all()
        for row in rows:
            found[row[0]] = SourceRow(*[*row, *([None] * 7)])
    return found


def communities_by_ids(session: Session, workspace_ids: Sequence[int], ids: Sequence[str]) -> list[Community]:
    """Communities with these ids."""
    if not ids:
        return []
    return list(
        session.scalars(
            select(Community).where(
                Community.workspace_id.in_(workspace_ids), Community.community_id.in_(list(ids))
            )
        )
    )


def reports_stamp(session: Session, workspace_ids: Sequence[int]) -> tuple[int, int, str]:
    """Changes whenever communities are added, removed or rewritten (count, highest id, last update)."""
    count, highest, updated = session.execute(
        select(func.count(Community.id), func.max(Community.id), func.max(Community.updated_at)).where(
            Community.workspace_id.in_(workspace_ids)
        )
    ).one()
    return int(count or 0), int(highest or 0), str(updated or "")


def report_candidates(session: Session, workspace_ids: Sequence[int], limit: int) -> list[Any]:
    """Every community's id, level, title, summary, key entities, findings and rank (best ranked first)."""
    return list(
        session.execute(
            select(
                Community.community_id,
                Community.level,
                Community.title,
                Community.summary,
                Community.key_entities,
                Community.findings,
                Community.rank,
            )
            .where(Community.workspace_id.in_(workspace_ids))
            .order_by(Community.rank.desc(), Community.community_id)
            .limit(limit)
        ).all()
    )


def add_query(session: Session, **values: Any) -> RagQuery:
    """Store one audit row (flushed, so its id is known)."""
    row = RagQuery(**values)
    session.add(row)
    session.flush()
    return row


def list_queries(
    session: Session, *, limit: int, offset: int = 0, user_id: int | None = None
) -> list[RagQuery]:
    """Audit rows, newest first."""
    query = select(RagQuery)
    if user_id is not None:
        query = query.where(RagQuery.user_id == user_id)
    return list(session.scalars(query.order_by(RagQuery.id.desc()).offset(offset).limit(limit)))


def get_query(session: Session, query_id: int) -> RagQuery | None:
    """One audit row by id."""
    return session.get(RagQuery, query_id)


def iter_queries(session: Session, batch: int = 500) -> Iterator[RagQuery]:
    """Every audit row, oldest first, read in batches."""
    last = 0
    while True:
        rows = list(
            session.scalars(select(RagQuery).where(RagQuery.id > last).order_by(RagQuery.id).limit(batch))
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def document_texts(session: Session, workspace_ids: Sequence[int], keys: Sequence[str]) -> dict[str, str]:
    """The stored text of documents by key (to verify a quoted passage against)."""
    found: dict[str, str] = {}
    for part in in_batches(sorted(set(keys))):
        rows = session.execute(
            select(Document.key, Document.text_content).where(
                Document.workspace_id.in_(workspace_ids), Document.key.in_(part)
            )
        )
        for key, text_content in rows:
            found.setdefault(key, text_content)
    return found


def document_head(session: Session, workspace_ids: Sequence[int], key: str) -> Document | None:
    """The readable document ``key`` (the first found, as :func:`document_texts`)."""
    return session.scalars(
        select(Document)
        .where(Document.workspace_id.in_(workspace_ids), Document.key == key)
        .order_by(Document.id)
        .limit(1)
    ).first()

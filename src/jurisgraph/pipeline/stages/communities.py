"""communities: hierarchical Leiden over the workspace graph, with extractive reports.

The partition is recomputed from the whole graph (deterministic seed), communities are
replaced, and each node records its finest community and level.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from jurisgraph.db import session_scope
from jurisgraph.engine.communities import EdgeInfo, NodeInfo, detect_communities, finest_communities
from jurisgraph.engine.communities.reports import extractive_reports
from jurisgraph.engine.types import EntityType
from jurisgraph.models import Chunk, Community, GraphEdge, GraphNode, Mention, utcnow
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.logs import logged_action

#: Members that get a representative passage in reports: the most mentioned of the workspace.
PASSAGE_NODES = 3000


@dataclass
class CommunityReport:
    """What a community build produced."""

    communities: int = 0
    levels: int = 0
    nodes: int = 0
    edges: int = 0


def has_communities(ctx: PipelineContext) -> bool:
    """True when the workspace already has communities."""
    with session_scope(ctx.container.sessions) as session:
        found = session.scalar(
            select(func.count()).select_from(Community).where(Community.workspace_id == ctx.workspace_id)
        )
    return bool(found)


def run(ctx: PipelineContext) -> CommunityReport:
    """Rebuild the communities of the context's workspace."""
    settings = ctx.container.settings.pipeline
    report = CommunityReport()
    ctx.progress("communities", 0, 1, "Leiden")
    with (
        logged_action(ctx.container.sessions, "build_communities", job_id=ctx.job_id) as counts,
        session_scope(ctx.container.sessions) as session,
    ):
        nodes, edges = _load_graph(session, ctx.workspace_id)
        report.nodes, report.edges = len(nodes), len(edges)
        found = detect_communities(
            nodes,
            edges,
            max_community_size=settings.community_max_size,
            max_levels=settings.community_max_levels,
            seed=settings.community_seed,
        )
        by_key = {n.key: n for n in nodes}
        session.execute(delete(Community).where(Community.workspace_id == ctx.workspace_id))
        now = utcnow()
        passages = _passages(session, ctx.workspace_id)
        rows = []
        for community, summary in zip(found, extractive_reports(found, by_key, edges, passages), strict=True):
            rows.append(
                {
                    "workspace_id": ctx.workspace_id,
                    "community_id": community.community_id,
                    "level": community.level,
                    "parent_community_id": community.parent_id,
                    "title": summary.title[:512],
                    "summary": summary.summary,
                    "full_report": summary.full_report,
                    "key_entities": [
                        {"id": k.key, "name": k.name, "type": k.type, "degree": round(k.degree, 4)}
                        for k in summary.key_entities
                    ],
                    "findings": list(summary.findings),
                    "rating": summary.rating,
                    "entity_count": community.size,
                    "edge_count": community.edge_count,
                    "rank": community.rank,
                    "report_source": "extractive",
                    "created_at": now,
                    "updated_at": now,
                }
            )
        if rows:
            session.execute(insert(Community), rows)
        _assign_nodes(session, ctx.workspace_id, finest_communities(found))
        report.communities = len(found)
        report.levels = 1 + max((c.level for c in found), default=-1)
        counts.records_processed = len(nodes)
        counts.details.append(f"{report.communities} communities on {report.levels} levels")
    ctx.progress("communities", 1, 1, f"{report.communities} communities")
    return report


def _load_graph(session: Session, workspace_id: int) -> tuple[list[NodeInfo], list[EdgeInfo]]:
    nodes = [
        NodeInfo(key=key, type=EntityType(kind), name=name, description=desc or "", mention_count=count)
        for key, kind, name, desc, count in session.execute(
            select(
                GraphNode.entity_id,
                GraphNode.entity_type,
                GraphNode.name,
                GraphNode.description,
                GraphNode.mention_count,
            )
            .where(GraphNode.workspace_id == workspace_id)
            .order_by(GraphNode.entity_id)
        )
    ]
    edges = [
        EdgeInfo(source=s, target=t, type=kind, weight=w, mention_count=c)
        for s, t, kind, w, c in session.execute(
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
    return nodes, edges


def _passages(session: Session, workspace_id: int) -> dict[str, list[str]]:
    """One passage (the text around the first located mention) for the most mentioned nodes."""
    top = (
        session.execute(
            select(GraphNode.entity_id)
            .where(GraphNode.workspace_id == workspace_id)
            .order_by(GraphNode.mention_count.desc(), GraphNode.entity_id)
            .limit(PASSAGE_NODES)
        )
        .scalars()
        .all()
    )
    passages: dict[str, list[str]] = {}
    keys = sorted(top)
    for start in range(0, len(keys), 500):
        rows = session.execute(
            select(Mention.target_id, Mention.start, Mention.end, Chunk.text, Chunk.start)
            .join(Chunk, Chunk.id == Mention.chunk_id)
            .where(
                Mention.workspace_id == workspace_id,
                Mention.target_kind == "node",
                Mention.target_id.in_(keys[start : start + 500]),
                Mention.start.is_not(None),
            )
            .order_by(Mention.target_id, Mention.document_id, Mention.start)
        )
        for key, m_start, m_end, text, c_start in rows:
            if key in passages:
                continue
            local = max(0, (m_start or 0) - c_start)
            span = (m_end or 0) - (m_start or 0)
            passages[key] = [text[max(0, local - 150) : local + span + 150].strip()]
    return passages


def _assign_nodes(session: Session, workspace_id: int, assignment: dict[str, tuple[str, int]]) -> None:
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

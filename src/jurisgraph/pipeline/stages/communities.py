"""communities: hierarchical Leiden over the workspace graph, with extractive reports.

The partition is recomputed from the whole graph (deterministic seed), communities are
replaced, and each node records its finest community and level.
"""

from __future__ import annotations

from dataclasses import dataclass

from jurisgraph.db import Session, session_scope
from jurisgraph.engine.communities import EdgeInfo, NodeInfo, detect_communities, finest_communities
from jurisgraph.engine.communities.reports import extractive_reports
from jurisgraph.engine.types import EntityType
from jurisgraph.metrics import measured_stage
from jurisgraph.models import utcnow
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.logs import logged_action
from jurisgraph.pipeline.repository import communities as repository
from jurisgraph.pipeline.repository import graph

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
        return repository.count(session, ctx.workspace_id) > 0


@measured_stage("communities")
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
        repository.replace_all(session, ctx.workspace_id, rows)
        graph.set_communities(session, ctx.workspace_id, finest_communities(found))
        report.communities = len(found)
        report.levels = 1 + max((c.level for c in found), default=-1)
        counts.records_processed = len(nodes)
        counts.details.append(f"{report.communities} communities on {report.levels} levels")
    ctx.progress("communities", 1, 1, f"{report.communities} communities")
    return report


def _load_graph(session: Session, workspace_id: int) -> tuple[list[NodeInfo], list[EdgeInfo]]:
    nodes = [
        NodeInfo(key=key, type=EntityType(kind), name=name, description=desc or "", mention_count=count)
        for key, name, kind, desc, count, _ in graph.nodes(session, workspace_id)
    ]
    edges = [
        EdgeInfo(source=s, target=t, type=kind, weight=w, mention_count=c)
        for s, t, kind, w, c in graph.edges(session, workspace_id)
    ]
    return nodes, edges


def _passages(session: Session, workspace_id: int) -> dict[str, list[str]]:
    """One passage (the text around the first located mention) for the most mentioned nodes."""
    top = [key for key, _, _, _ in graph.nodes_by_mentions(session, workspace_id, limit=PASSAGE_NODES)]
    passages: dict[str, list[str]] = {}
    for key, m_start, m_end, text, c_start in graph.located_mentions(session, workspace_id, sorted(top)):
        if key in passages:
            continue
        local = max(0, (m_start or 0) - c_start)
        span = (m_end or 0) - (m_start or 0)
        passages[key] = [text[max(0, local - 150) : local + span + 150].strip()]
    return passages

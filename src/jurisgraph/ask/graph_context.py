"""The graph around a question (local mode): entities, 1–2 hop facts with the records that
state them, the entities' own passages, and the reports of their communities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from jurisgraph.ask import repository as repo
from jurisgraph.ask.sources import from_row
from jurisgraph.db import Session
from jurisgraph.engine.query import (
    Fact,
    GraphView,
    LinkedEntity,
    Node,
    Report,
    Source,
    SourceKind,
    hop2_frontier,
    rank_facts,
)
from jurisgraph.engine.query.expand import HOP2_RELATIONS
from jurisgraph.graph.repository import edge_facts, node_records
from jurisgraph.models import Community
from jurisgraph.search.service import SearchFilters

HOP1_PER_SEED = 80
HOP2_NODES = 120
HOP2_EDGES = 500
CITED_FACTS = 160
RECORD_TYPES = frozenset({"TEMA"})
#: entity types whose description is the text of an official catalogue (súmulas' enunciados)
CATALOGUE_TYPES = frozenset({"SUMULA"})
MAX_SEEDS = 4
MAX_PAIRS = 3


@dataclass
class LocalContext:
    """What local mode found: the view for the answer and the sources in citation priority."""

    view: GraphView
    fact_sources: list[Source] = field(default_factory=list)
    entity_sources: list[Source] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    seeds: list[str] = field(default_factory=list)
    hop1: int = 0
    hop2: int = 0


def to_node(row: Any) -> Node:
    """A graph node (or a row of its record columns) as an engine node."""
    return Node(
        key=row.entity_id,
        name=row.name,
        type=row.entity_type,
        description=row.description or "",
        community_id=row.community_id,
        mention_count=row.mention_count or 0,
        attributes=dict(row.metadata_ or {}),
    )


def to_fact(row: Any, hop: int) -> Fact:
    """A graph edge (or a row of its fact columns) as an engine fact."""
    return Fact(
        edge_id=row.edge_id,
        source=row.source_entity_id,
        target=row.target_entity_id,
        type=row.relationship_type,
        weight=float(row.weight or 0.0),
        description=row.description or "",
        hop=hop,
    )


def to_report(
    community_id: str, level: int, title: Any, summary: Any, key_entities: Any, findings: Any, rank: Any
) -> Report:
    """A community (row or columns) as an engine report."""
    names = tuple(str(e.get("name", "")) if isinstance(e, dict) else str(e) for e in (key_entities or []))
    return Report(
        community_id=community_id,
        level=int(level or 0),
        title=str(title or community_id),
        summary=str(summary or ""),
        findings=tuple(str(f) for f in (findings or [])),
        key_entities=names,
        rank=float(rank or 0.0),
    )


def _report(row: Community) -> Report:
    return to_report(
        row.community_id, row.level, row.title, row.summary, row.key_entities, row.findings, row.rank
    )


def _add_nodes(session: Session, workspaces: Sequence[int], view: GraphView, keys: set[str]) -> None:
    missing = keys - view.nodes.keys()
    for row in node_records(session, workspaces, sorted(missing)):
        view.nodes[row.entity_id] = to_node(row)


def catalogue_source(node: Node) -> Source:
    """The description of an entity from an official catalogue (a súmula's enunciado), citable
    as the graph record of that entity."""
    return Source(
        key=f"catalogo:{node.key}",
        kind=SourceKind.RECORD,
        document_key=node.key,
        title=f"{node.name} — enunciado (catálogo de súmulas do STJ)",
        text=node.description,
        source_url=f"/grafo?entidade={node.key}",
    )


def _near(view: GraphView, key: str, seeds: Sequence[str]) -> bool:
    """Whether a fact joins ``key`` to one of the seeds."""
    return any(
        (f.source in seeds and f.target == key) or (f.target in seeds and f.source == key) for f in view.facts
    )


def _ends(facts: Sequence[Fact]) -> set[str]:
    return {key for fact in facts for key in (fact.source, fact.target)}


def build(
    session: Session,
    workspaces: Sequence[int],
    linked: Sequence[LinkedEntity],
    filters: SearchFilters | None,
) -> LocalContext:
    """Expand the entities of the question and attach a source to every fact that has one."""
    view = GraphView()
    for row in node_records(session, workspaces, [e.key for e in linked]):
        view.nodes[row.entity_id] = to_node(row)
    seeds = list(dict.fromkeys(e.key for e in linked if e.key in view.nodes))[:MAX_SEEDS]
    context = LocalContext(view=view, seeds=seeds)
    if not seeds:
        return context
    facts = [to_fact(e, 1) for seed in seeds for e in edge_facts(session, workspaces, [seed], HOP1_PER_SEED)]
    _add_nodes(session, workspaces, view, _ends(facts))
    frontier = hop2_frontier(seeds, facts, view.nodes, HOP2_NODES)
    second = [to_fact(e, 2) for e in edge_facts(session, workspaces, frontier, HOP2_EDGES, HOP2_RELATIONS)]
    _add_nodes(session, workspaces, view, _ends(second))
    context.hop1, context.hop2 = len(facts), len(second)
    ranked = rank_facts([*facts, *second], view.nodes)
    strong = [e.key for e in linked if e.key in seeds and e.strong]
    pairs = [(a, b) for i, a in enumerate(strong) for b in strong[i + 1 :]][:MAX_PAIRS]
    common = [(a, b, row) for a, b in pairs for row in repo.common_neighbours(session, workspaces, a, b, 8)]
    _add_nodes(session, workspaces, view, {middle for _, _, (middle, _, _) in common})
    wanted = [f.edge_id for f in ranked[:CITED_FACTS]] + [e for _, _, (_, ea, eb) in common for e in (ea, eb)]
    edge_rows = repo.mention_sources(session, workspaces, "edge", wanted, filters, per_target=1)
    pool: dict[str, Source] = {}
    edge_keys: dict[str, str] = {}
    for edge_id, rows in edge_rows.items():
        source = from_row(rows[0])
        pool.setdefault(source.key, source)
        edge_keys[edge_id] = source.key
    view.facts = [
        replace(f, source_key=edge_keys[f.edge_id]) if f.edge_id in edge_keys else f for f in ranked
    ]
    view.common = [
        (a, b, middle, (edge_keys[ea], edge_keys[eb]))
        for a, b, (middle, ea, eb) in common
        if ea in edge_keys and eb in edge_keys
    ]
    records = repo.record_documents(
        session, workspaces, [k for k, n in view.nodes.items() if n.type in RECORD_TYPES][:80], filters
    )
    record_sources: dict[str, Source] = {key: from_row(row) for key, row in records.items()}
    for key, node in view.nodes.items():
        if node.type in CATALOGUE_TYPES and node.description and (key in seeds or _near(view, key, seeds)):
            record_sources[key] = catalogue_source(node)
    mentions = repo.mention_sources(session, workspaces, "node", seeds, filters, per_target=3)
    for seed in seeds:
        context.entity_sources += [from_row(row) for row in mentions.get(seed, [])]
    for key, source in record_sources.items():
        view.records[key] = source.key
    ordered = [record_sources[s] for s in seeds if s in record_sources]
    ordered += [pool[edge_keys[f.edge_id]] for f in view.facts if f.edge_id in edge_keys]
    ordered += [s for k, s in record_sources.items() if k not in seeds]
    context.fact_sources = list({s.key: s for s in ordered}.values())
    context.reports = _seed_reports(session, workspaces, view, seeds)
    return context


def _seed_reports(
    session: Session, workspaces: Sequence[int], view: GraphView, seeds: Sequence[str]
) -> list[Report]:
    """Reports of the seeds' communities and of their parents (finest first)."""
    ids = list(dict.fromkeys(view.nodes[s].community_id for s in seeds if view.nodes[s].community_id))
    rows = repo.communities_by_ids(session, workspaces, [i for i in ids if i])
    parents = [
        r.parent_community_id for r in rows if r.parent_community_id and r.parent_community_id not in ids
    ]
    rows += repo.communities_by_ids(session, workspaces, list(dict.fromkeys(parents)))
    return [_report(r) for r in rows]

"""Ranking of graph relations around the entities of a question (1–2 hops, hubs damped)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from jurisgraph.engine.query.types import Fact, Node

TYPE_PRIOR = {
    "LEADING_CASE_DE": 1.0,
    "ORIGINOU_SUMULA": 1.0,
    "RELATOR_DE": 0.9,
    "JULGADO_POR": 0.9,
    "REFERENCIA": 0.8,
    "CITA_PRECEDENTE": 0.7,
    "APLICA": 0.7,
    "FUNDAMENTA": 0.7,
    "CONTRARIA": 0.7,
    "CONFIRMA": 0.7,
    "TRATA_DE": 0.6,
    "SIMILAR_A": 0.5,
    "VOTOU_EM": 0.4,
    "DECIDIU": 0.3,
    "PERTENCE_A": 0.3,
}
#: node types worth a second hop (few edges each, and the facts lawyers ask about)
HOP2_TYPES = frozenset({"PROCESSO", "TEMA", "SUMULA"})
#: relation types followed on the second hop
HOP2_RELATIONS = ("RELATOR_DE", "JULGADO_POR", "LEADING_CASE_DE", "ORIGINOU_SUMULA")
_END_BONUS = {"TEMA": 1.25, "SUMULA": 1.2, "PROCESSO": 1.0}


def fact_score(fact: Fact, nodes: Mapping[str, Node]) -> float:
    """Weight × type prior × a bonus for temas and súmulas, halved on the second hop."""
    bonus = max(_END_BONUS.get(nodes[k].type, 0.9) if k in nodes else 0.9 for k in (fact.source, fact.target))
    return fact.weight * TYPE_PRIOR.get(fact.type, 0.5) * bonus * (1.0 if fact.hop <= 1 else 0.5)


def rank_facts(facts: Iterable[Fact], nodes: Mapping[str, Node]) -> list[Fact]:
    """Facts without duplicates, best first (ties by edge id, so the order is stable)."""
    unique: dict[str, Fact] = {}
    for fact in facts:
        if fact.edge_id not in unique or fact.hop < unique[fact.edge_id].hop:
            unique[fact.edge_id] = fact
    return sorted(unique.values(), key=lambda f: (-fact_score(f, nodes), f.hop, f.edge_id))


def hop2_frontier(
    seeds: Sequence[str], facts: Sequence[Fact], nodes: Mapping[str, Node], limit: int = 40
) -> list[str]:
    """Neighbours of the seeds worth expanding: processes, temas and súmulas, best facts first."""
    chosen: list[str] = []
    seed_set = set(seeds)
    for fact in rank_facts(facts, nodes):
        for end in (fact.source, fact.target):
            node = nodes.get(end)
            if end in seed_set or node is None or node.type not in HOP2_TYPES or end in chosen:
                continue
            chosen.append(end)
            if len(chosen) >= limit:
                return chosen
    return chosen


@dataclass
class GraphView:
    """The graph around a question: nodes, ranked facts, and for each entity the key of the
    source that is its own record (a tema's record holds its thesis)."""

    nodes: dict[str, Node] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    records: dict[str, str] = field(default_factory=dict)
    common: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)

    def name(self, key: str) -> str:
        """Display name of an entity (its key when unknown)."""
        node = self.nodes.get(key)
        return node.name if node else key

    def type_of(self, key: str) -> str:
        """Entity type ("" when unknown)."""
        node = self.nodes.get(key)
        return node.type if node else ""

    def outgoing(self, key: str, kind: str) -> list[Fact]:
        """Facts ``key -[kind]-> x`` that have a source, best first."""
        return [f for f in self.facts if f.source == key and f.type == kind and f.source_key]

    def incoming(self, key: str, kind: str) -> list[Fact]:
        """Facts ``x -[kind]-> key`` that have a source, best first."""
        return [f for f in self.facts if f.target == key and f.type == kind and f.source_key]

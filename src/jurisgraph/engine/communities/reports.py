"""Extractive community reports in Portuguese, for when no LLM is configured.

Everything comes from the community's own subgraph: entities are ranked by weighted degree
over the edges inside the community (ties broken by key), the title names the dominant
entities, relations become sentences ("Min. X foi relator(a) de REsp ...") and, when given,
a few passages are quoted. The output depends only on the input values, never on their
order.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from jurisgraph.engine.communities.model import Community, EdgeInfo, NodeInfo
from jurisgraph.engine.text import clip, join_list

REPORT_TRIM = " ,;:."
"""Clipped passages and descriptions keep a trailing hyphen (other texts drop it)."""

# Display order of entity types in titles and summaries: (type, singular, plural).
_TYPES: tuple[tuple[str, str, str], ...] = (
    ("TEMA", "tema", "Temas"),
    ("SUMULA", "súmula", "Súmulas"),
    ("LEGISLACAO", "legislação", "Legislação"),
    ("MINISTRO", "ministro(a)", "Ministros"),
    ("PRECEDENTE", "precedente", "Precedentes"),
    ("PROCESSO", "processo", "Processos"),
    ("ORGAO_JULGADOR", "órgão julgador", "Órgãos julgadores"),
    ("CONCEITO_JURIDICO", "conceito jurídico", "Conceitos jurídicos"),
    ("ASSUNTO", "assunto", "Assuntos"),
    ("DECISAO", "decisão", "Decisões"),
    ("PARTE", "parte", "Partes"),
)
_TYPE_ORDER = {name: i for i, (name, _, _) in enumerate(_TYPES)}
_SINGULAR = {name: singular for name, singular, _ in _TYPES}
_PLURAL = {name: plural for name, _, plural in _TYPES}

# Relation type -> (prefer the edge source as subject?, verbs with the source as subject, verbs
# with the target as subject); each verb pair is (one object, several objects).
_Verbs = tuple[bool, tuple[str, str], tuple[str, str]]
_VERBS: dict[str, _Verbs] = {
    "RELATOR_DE": (True, ("foi relator(a) de",) * 2, ("teve como relator(a)", "teve como relatores")),
    "JULGADO_POR": (True, ("foi julgado por",) * 2, ("julgou",) * 2),
    "REFERENCIA": (True, ("faz referência a",) * 2, ("é referido(a) em",) * 2),
    "CITA_PRECEDENTE": (
        True,
        ("cita o precedente", "cita os precedentes"),
        ("é citado como precedente em",) * 2,
    ),
    "TRATA_DE": (True, ("trata de",) * 2, ("é tratado(a) em",) * 2),
    "SIMILAR_A": (True, ("é similar a",) * 2, ("é similar a",) * 2),
    "PERTENCE_A": (True, ("pertence a",) * 2, ("reúne",) * 2),
    "PARTE_EM": (True, ("é parte em",) * 2, ("tem como parte", "tem como partes")),
    "FUNDAMENTA": (True, ("fundamenta",) * 2, ("tem como fundamento", "tem como fundamentos")),
    "APLICA": (True, ("aplica",) * 2, ("é aplicado(a) em",) * 2),
    "CONTRARIA": (True, ("contraria",) * 2, ("é contrariado(a) por",) * 2),
    "CONFIRMA": (True, ("confirma",) * 2, ("é confirmado(a) por",) * 2),
    "VOTOU_EM": (True, ("participou do julgamento de",) * 2, ("teve o voto de",) * 2),
    "LEADING_CASE_DE": (
        False,
        ("é leading case de",) * 2,
        ("teve como leading case", "teve como leading cases"),
    ),
    "ORIGINOU_SUMULA": (True, ("deu origem a",) * 2, ("teve origem em",) * 2),
    "DECIDIU": (True, ("decidiu",) * 2, ("foi decidido(a) por",) * 2),
}
_DEFAULT_VERBS: _Verbs = (True, ("está relacionado(a) a",) * 2, ("está relacionado(a) a",) * 2)


@dataclass(frozen=True, slots=True)
class KeyEntity:
    """A member worth naming: ``degree`` is its weighted degree inside the community."""

    key: str
    name: str
    type: str
    degree: float


@dataclass(frozen=True, slots=True)
class CommunityReport:
    """What is stored and indexed for a community; ``rating`` is in [0, 10)."""

    community_id: str
    level: int
    title: str
    summary: str
    full_report: str
    key_entities: tuple[KeyEntity, ...]
    findings: tuple[str, ...]
    rating: float


@dataclass(frozen=True, slots=True)
class ReportLimits:
    """How much each part of a report may hold."""

    key_entities: int = 10
    findings: int = 8
    passages: int = 3
    passage_chars: int = 300
    description_chars: int = 200
    names_per_type: int = 3
    objects_per_finding: int = 4
    title_entities: int = 3


DEFAULT_LIMITS = ReportLimits()


@dataclass(frozen=True, slots=True)
class _Relation:
    subject: str
    type: str
    subject_is_source: bool
    objects: tuple[tuple[str, float], ...]  # (key, weight), heaviest first
    weight: float


def extractive_report(
    community: Community,
    nodes_by_key: Mapping[str, NodeInfo],
    edges: Iterable[EdgeInfo],
    passages: Mapping[str, Sequence[str]] | None = None,
    *,
    limits: ReportLimits = DEFAULT_LIMITS,
) -> CommunityReport:
    """Report of ``community`` from the ``edges`` with both ends among its members.

    ``edges`` may hold the whole graph; edges leaving the community are ignored. A member
    missing from ``nodes_by_key`` is named by its key. ``passages`` maps node keys to
    representative text spans; up to ``limits.passages`` of them are quoted.
    """
    members = set(community.members)
    internal = sorted(
        (e for e in edges if e.source in members and e.target in members and e.source != e.target),
        key=lambda e: (e.source, e.target, str(e.type), e.weight, e.mention_count),
    )
    degree = dict.fromkeys(community.members, 0.0)
    for edge in internal:
        degree[edge.source] += edge.weight
        degree[edge.target] += edge.weight
    ranked = sorted(community.members, key=lambda key: (-degree[key], key))
    names = _Names(nodes_by_key)

    headline = _headline(ranked, names, limits.title_entities)
    title = " · ".join(names.name(key) for key in headline) or f"Comunidade {community.community_id}"
    relations = _relations(internal, limits.findings)
    findings = tuple(_sentence(r, names, limits.objects_per_finding) for r in relations)
    key_entities = tuple(
        KeyEntity(key, names.name(key), names.type(key), round(degree[key], 6))
        for key in ranked[: limits.key_entities]
    )
    summary = _summary(community, len(internal), headline, ranked, names, limits)
    quoted = _passages(ranked, passages or {}, limits)
    report = _full_report(title, summary, key_entities, findings, quoted, names, limits)
    return CommunityReport(
        community_id=community.community_id,
        level=community.level,
        title=title,
        summary=summary,
        full_report=report,
        key_entities=key_entities,
        findings=findings,
        rating=report_rating(community.rank),
    )


def extractive_reports(
    communities: Sequence[Community],
    nodes_by_key: Mapping[str, NodeInfo],
    edges: Iterable[EdgeInfo],
    passages: Mapping[str, Sequence[str]] | None = None,
    *,
    limits: ReportLimits = DEFAULT_LIMITS,
) -> list[CommunityReport]:
    """Reports of many communities (same order), reading ``edges`` only once."""
    holders: dict[str, list[str]] = defaultdict(list)
    for community in communities:
        for key in community.members:
            holders[key].append(community.community_id)
    inside: dict[str, list[EdgeInfo]] = defaultdict(list)
    for edge in edges:
        source_ids = holders.get(edge.source)
        target_ids = holders.get(edge.target)
        if source_ids and target_ids:
            for community_id in set(source_ids).intersection(target_ids):
                inside[community_id].append(edge)
    return [
        extractive_report(c, nodes_by_key, inside.get(c.community_id, []), passages, limits=limits)
        for c in communities
    ]


def report_rating(rank: float) -> float:
    """``10 * rank / (rank + 10)``, rounded to 2 decimals: grows with rank, stays below 10."""
    rank = max(rank, 0.0)
    return round(10.0 * rank / (rank + 10.0), 2)


class _Names:
    """Display name and type of a key, falling back to the key itself."""

    def __init__(self, nodes_by_key: Mapping[str, NodeInfo]) -> None:
        self._nodes = nodes_by_key

    def name(self, key: str) -> str:
        node = self._nodes.get(key)
        return node.name.strip() if node is not None and node.name.strip() else key

    def type(self, key: str) -> str:
        node = self._nodes.get(key)
        return str(node.type) if node is not None else ""

    def node(self, key: str) -> NodeInfo | None:
        return self._nodes.get(key)


def _headline(ranked: Sequence[str], names: _Names, count: int) -> list[str]:
    """The top entity, then the best of other types, topped up by rank; shown in type order."""
    chosen: list[str] = []
    seen_types: set[str] = set()
    for key in ranked:
        if len(chosen) == count:
            break
        if names.type(key) not in seen_types:
            chosen.append(key)
            seen_types.add(names.type(key))
    for key in ranked:
        if len(chosen) == count:
            break
        if key not in chosen:
            chosen.append(key)
    position = {key: i for i, key in enumerate(ranked)}
    return sorted(chosen, key=lambda key: (_TYPE_ORDER.get(names.type(key), len(_TYPES)), position[key]))


def _relations(internal: Sequence[EdgeInfo], limit: int) -> list[_Relation]:
    """The ``limit`` heaviest sentences that the edges merge into.

    Per relation type, the subject is the side (source or target) that needs fewer sentences,
    so "Min. X foi relator(a) de A, B e C" and "Tema T é tratado(a) em A, B e C" both come out
    as one sentence; on a tie the type's preferred side wins. Ties in weight go by subject key.
    """
    merged: dict[str, dict[tuple[str, str], float]] = defaultdict(lambda: defaultdict(float))
    for edge in internal:
        merged[str(edge.type)][(edge.source, edge.target)] += edge.weight
    groups: list[tuple[float, str, str, bool, list[tuple[str, float]]]] = []
    for type_, pairs in merged.items():
        prefer_source = _VERBS.get(type_, _DEFAULT_VERBS)[0]
        sources = len({source for source, _ in pairs})
        targets = len({target for _, target in pairs})
        subject_is_source = sources < targets or (sources == targets and prefer_source)
        grouped: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for (source, target), weight in pairs.items():
            subject, obj = (source, target) if subject_is_source else (target, source)
            grouped[subject].append((obj, weight))
        groups.extend(
            (math.fsum(w for _, w in objs), s, type_, subject_is_source, objs) for s, objs in grouped.items()
        )
    top = heapq.nsmallest(limit, groups, key=lambda g: (-g[0], g[1], g[2]))
    return [
        _Relation(subject, type_, is_source, tuple(sorted(objects, key=lambda o: (-o[1], o[0]))), weight)
        for weight, subject, type_, is_source, objects in top
    ]


def _sentence(relation: _Relation, names: _Names, limit: int) -> str:
    _, forward, backward = _VERBS.get(relation.type, _DEFAULT_VERBS)
    singular, plural = forward if relation.subject_is_source else backward
    verb = plural if len(relation.objects) > 1 else singular
    objects = [names.name(key) for key, _ in relation.objects]
    return f"{names.name(relation.subject)} {verb} {join_list(objects, limit)}."


def _summary(
    community: Community,
    edge_count: int,
    headline: Sequence[str],
    ranked: Sequence[str],
    names: _Names,
    limits: ReportLimits,
) -> str:
    parts = [
        f"Comunidade de nível {community.level} com {community.size} entidades e {edge_count} relações"
        + (
            f", centrada em {join_list([names.name(k) for k in headline], len(headline))}."
            if headline
            else "."
        )
    ]
    by_type: dict[str, list[str]] = defaultdict(list)
    for key in ranked:
        by_type[names.type(key)].append(names.name(key))
    for type_ in sorted(by_type, key=lambda t: (_TYPE_ORDER.get(t, len(_TYPES)), t)):
        label = _PLURAL.get(type_, "Outras entidades")
        parts.append(f"{label}: {join_list(by_type[type_], limits.names_per_type)}.")
    return " ".join(parts)


def _passages(
    ranked: Sequence[str], passages: Mapping[str, Sequence[str]], limits: ReportLimits
) -> list[tuple[str, str]]:
    """Up to ``limits.passages`` (key, clipped text): the first passage of each entity by rank, then
    the second, and so on; repeated texts are skipped."""
    chosen: list[tuple[str, str]] = []
    seen: set[str] = set()
    sources = [(key, list(passages[key])) for key in ranked if passages.get(key)]
    depth = max((len(texts) for _, texts in sources), default=0)
    for round_ in range(depth):
        for key, texts in sources:
            if len(chosen) == limits.passages:
                return chosen
            if round_ < len(texts):
                text = clip(texts[round_], limits.passage_chars, trim=REPORT_TRIM)
                if text and text not in seen:
                    seen.add(text)
                    chosen.append((key, text))
    return chosen


def _full_report(
    title: str,
    summary: str,
    key_entities: Sequence[KeyEntity],
    findings: Sequence[str],
    quoted: Sequence[tuple[str, str]],
    names: _Names,
    limits: ReportLimits,
) -> str:
    lines = [f"# {title}", "", summary]
    if key_entities:
        lines += ["", "## Entidades principais"]
        for entity in key_entities:
            node = names.node(entity.key)
            label = _SINGULAR.get(entity.type, "entidade")
            line = f"- {entity.name} ({label}; grau {entity.degree:g}"
            line += f"; {node.mention_count} menções)" if node is not None and node.mention_count else ")"
            description = (
                clip(node.description, limits.description_chars, trim=REPORT_TRIM) if node is not None else ""
            )
            lines.append(f"{line}: {description}" if description else line)
    if findings:
        lines += ["", "## Relações principais", *(f"- {finding}" for finding in findings)]
    if quoted:
        lines += [
            "",
            "## Trechos representativos",
            *(f'- {names.name(key)}: "{text}"' for key, text in quoted),
        ]
    return "\n".join(lines)

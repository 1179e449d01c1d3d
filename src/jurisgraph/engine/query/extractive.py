"""The extractive answer (no LLM): graph facts stated with names and citations, the community
panorama for broad questions, then the best supporting sentences of retrieved passages."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from jurisgraph.engine.query.cards import entity_lines
from jurisgraph.engine.query.context import Citer
from jurisgraph.engine.query.expand import GraphView
from jurisgraph.engine.query.sentences import Supporting
from jurisgraph.engine.query.terms import terms
from jurisgraph.engine.query.types import LinkedEntity, Report, Source, SourceKind
from jurisgraph.engine.query.wording import orgao_by
from jurisgraph.engine.text import clip, join_list

#: version of the extractive wording, recorded with each answer like a prompt version
COMPOSER_VERSION = "extractive-2026-11-v1"
NOTE = "Resposta extrativa (sem LLM)"
NOTE_BUDGET = "Resposta extrativa (orçamento de LLM esgotado)"
NOTE_FAILED = "Resposta extrativa (falha do LLM)"
NOTHING = "Não encontrei, nas fontes disponíveis, elementos que respondam à pergunta."
MAX_ENTITIES = 3
#: entities linked less surely than this (a one-word subject such as "Prazo") get no statements
MIN_CARD_SCORE = 0.65
MAX_COMMON = 5


def pinpoint(source: Source, sentence: Supporting) -> Source:
    """A source narrowed to one of its sentences; ``text`` is that slice of the source's text,
    and the span is in the document's offsets."""
    base = source.start or 0
    return dataclasses.replace(
        source,
        key=f"{source.key}@{sentence.start}-{sentence.end}",
        text=source.text[sentence.start : sentence.end],
        start=base + sentence.start,
        end=base + sentence.end,
        score=sentence.score,
        page=source.at(base + sentence.start),
    )


def report_source(report: Report) -> Source:
    """A community report as a numbered source (key ``comunidade:<id>``)."""
    body = report.summary.strip()
    if report.findings:
        body += "\n" + "\n".join(f"- {f}" for f in report.findings[:5])
    return Source(
        key=f"comunidade:{report.community_id}",
        kind=SourceKind.COMMUNITY,
        document_key=f"comunidade:{report.community_id}",
        title=f"Comunidade {report.community_id} (nível {report.level}): {report.title}",
        text=body,
        source_url=f"/comunidades?id={report.community_id}",
        score=report.score,
    )


def _common_lines(view: GraphView, citer: Citer) -> list[str]:
    lines: list[str] = []
    pairs: dict[tuple[str, str], list[str]] = {}
    for left, right, middle, keys in view.common:
        items = pairs.setdefault((left, right), [])
        if len(items) < MAX_COMMON:
            items.append(f"{view.name(middle)}{citer.marker(keys)}")
    for (left, right), items in pairs.items():
        kinds = {view.type_of(left): left, view.type_of(right): right}
        if kinds.keys() == {"MINISTRO", "ORGAO_JULGADOR"}:
            ministro, orgao = view.name(kinds["MINISTRO"]), view.name(kinds["ORGAO_JULGADOR"])
            lines.append(f"Relatados por {ministro} e julgados {orgao_by(orgao)}: {join_list(items)}.")
        else:
            lines.append(f"Em comum entre {view.name(left)} e {view.name(right)}: {join_list(items)}.")
    return lines


def panorama_lines(question: str, reports: Sequence[Report], citer: Citer) -> list[str]:
    """One cited line per community report: its title, then the findings that share most words
    with the question (quoted), or its summary when none does."""
    if not reports:
        return []
    wanted = set(terms(question))
    lines = [f"Panorama a partir de {len(reports)} relatório(s) de comunidades do grafo:"]
    for report in reports:
        marker = citer.marker([f"comunidade:{report.community_id}"])
        if not marker:
            continue
        ranked = sorted(report.findings, key=lambda f: -len(wanted & set(terms(f))))
        best = [f for f in ranked[:2] if wanted & set(terms(f))]
        quoted = ", ".join(f"“{clip(f, 240)}”" for f in best) or f"“{clip(report.summary, 320)}”"
        lines.append(f"- {report.title}: {quoted}{marker}.")
    return lines if len(lines) > 1 else []


def supporting_lines(supporting: Sequence[Supporting], citer: Citer) -> list[str]:
    """``Trechos relevantes:`` and one quoted, cited sentence per line (source title first)."""
    lines = []
    for item in supporting:
        source = citer.source(item.source_key)
        marker = citer.marker([item.source_key])
        if source is not None and marker:
            lines.append(f"- {source.title}: “{item.text}”{marker}")
    return ["Trechos relevantes:", *lines] if lines else []


def compose(
    question: str,
    linked: Sequence[LinkedEntity],
    view: GraphView,
    citer: Citer,
    *,
    reports: Sequence[Report] = (),
    supporting: Sequence[Supporting] = (),
) -> str:
    """The extractive answer; every statement carries the number of the source that states it
    (:data:`NOTHING` when there is nothing to state)."""
    paragraphs: list[str] = []
    common = _common_lines(view, citer)
    if common:
        paragraphs.append("\n".join(common))
    seen: set[str] = set()
    for entity in linked:
        if entity.key in seen or entity.key not in view.nodes or len(seen) >= MAX_ENTITIES:
            continue
        if entity.score < MIN_CARD_SCORE:
            continue
        seen.add(entity.key)
        lines = entity_lines(view, entity.key, citer)
        if lines:
            paragraphs.append("\n".join(lines))
    panorama = panorama_lines(question, reports, citer)
    if panorama:
        paragraphs.append("\n".join(panorama))
    quoted = supporting_lines(supporting, citer)
    if quoted:
        paragraphs.append("\n".join(quoted))
    return "\n\n".join(paragraphs) if paragraphs else NOTHING

"""Weights of the deterministic edges and the free-text rules that feed an :class:`ExtractionBuilder`.

Weights (all in (0, 1]): a fact stated by a structured field is 1.0; a citation listed in
``jurisprudenciaCitada`` 0.9; a vote 0.8; an article cited in the text 0.8; a súmula applied
in the text 0.7; a process cited in the text 0.7; a similar acórdão 0.7; a law or tema named
in the text 0.6; a minister's membership of an órgão 0.5.
"""

from __future__ import annotations

import re
from datetime import date

from jurisgraph.engine.extract.builder import ExtractionBuilder, Where
from jurisgraph.engine.legal.mentions import scan_text
from jurisgraph.engine.text import fold
from jurisgraph.engine.types import EntityType, RelationType

STRUCTURED = 1.0
CITED = 0.9
VOTE = 0.8
TEXT_ARTICLE = 0.8
TEXT_SUMULA = 0.7
TEXT_PROCESSO = 0.7
SIMILAR = 0.7
TEXT_LAW = 0.6
TEXT_TEMA = 0.6
TEXT_LINK = 0.8
MEMBERSHIP = 0.5
WEAK = 0.3

_NOT_APPLIED = re.compile(r"afast|inaplic|nao\s+(?:se\s+)?(?:aplica|incid)|sem\s+aplicacao|superad")
_CUE_WINDOW = 60


def apply_text_rules(
    builder: ExtractionBuilder,
    text: str,
    *,
    subject: str | None = None,
    exclude: frozenset[str] = frozenset(),
    reference_date: date | None = None,
    offset: int | None = 0,
    field: str | None = None,
    structured: bool = False,
) -> None:
    """Scan ``text`` and add its entities, the links it states and, when ``subject`` is set
    (the document's own process or tema), the subject's edges to what it cites.

    Mentions carry ``start + offset``/``end + offset``; with ``offset=None`` they carry ``field``
    instead (the text is a structured field that is not part of the document text).
    ``exclude`` lists keys that are the subject itself (never cited by it). With ``structured``
    the subject's edges get the structured weight (the text is a field meant to list them).
    """
    scan = scan_text(text, reference_date=reference_date)
    folded = fold(text) if subject else ""

    def where(start: int, end: int) -> Where:
        return Where(None, None, field) if offset is None else Where(start + offset, end + offset, None)

    for mention in scan.mentions:
        entity = mention.entity
        builder.entity(entity, where(mention.start, mention.end))
        if not subject or entity.key in exclude or mention.role == "principal":
            continue
        edge = _subject_edge(entity.type, entity.attributes.get("nivel"), folded, mention.start)
        if edge:
            weight = STRUCTURED if structured else edge[1]
            builder.relate(subject, edge[0], entity.key, weight, "", where(mention.start, mention.end))
    for link in scan.links:
        if link.type is RelationType.PERTENCE_A:
            weight = MEMBERSHIP if link.source.startswith("ministro:") else STRUCTURED
        else:
            weight = TEXT_LINK
        builder.relate(link.source, link.type, link.target, weight, "", where(link.start, link.end))


def _subject_edge(
    kind: EntityType, nivel: object, folded: str, start: int
) -> tuple[RelationType, float] | None:
    if kind is EntityType.LEGISLACAO:
        return (RelationType.REFERENCIA, TEXT_ARTICLE if nivel == "artigo" else TEXT_LAW)
    if kind is EntityType.SUMULA:
        before = folded[max(0, start - _CUE_WINDOW) : start]
        if _NOT_APPLIED.search(before):
            return (RelationType.REFERENCIA, TEXT_SUMULA)
        return (RelationType.APLICA, TEXT_SUMULA)
    if kind is EntityType.TEMA:
        return (RelationType.TRATA_DE, TEXT_TEMA)
    if kind in (EntityType.PROCESSO, EntityType.PRECEDENTE):
        return (RelationType.CITA_PRECEDENTE, TEXT_PROCESSO)
    return None

"""Helpers shared by the per-kind extractors: field access, dates, provenance, decision nodes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from jurisgraph.engine.extract.builder import ExtractionBuilder, Where, at, in_field
from jurisgraph.engine.legal import entities
from jurisgraph.engine.legal.ministros import MinistroRef, parse_ministro
from jurisgraph.engine.legal.orgaos import OrgaoRef, orgao_by_code, parse_orgao
from jurisgraph.engine.legal.processos import ProcessoRef
from jurisgraph.engine.text import slug, squash
from jurisgraph.engine.types import Entity, EntityType, RelationType, SourceDocument

from . import rules

_BRASILIA = timezone(timedelta(hours=-3))
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_BR = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@dataclass(slots=True)
class Subject:
    """The document's own node (process or tema) and the keys it must never cite."""

    key: str | None = None
    exclude: set[str] = field(default_factory=set)
    orgao: OrgaoRef | None = None
    relator: str | None = None


def text_field(fields: Mapping[str, Any], *names: str) -> str | None:
    """First non-empty field among ``names``, as a stripped string (lists are joined by new lines)."""
    for name in names:
        value = fields.get(name)
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value if v)
        if value is None:
            continue
        text = str(value).strip()
        if text and text not in {"None", "-", "null"}:
            return text
    return None


def list_field(fields: Mapping[str, Any], name: str) -> list[str]:
    """A list field (a single string counts as a one-item list)."""
    value = fields.get(name)
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v]


def parse_date(value: object) -> date | None:
    """``date``, ISO ``2022-05-16``, ``16/05/2022``, ``20220516`` or epoch milliseconds → date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and value > 10**10:
        return datetime.fromtimestamp(value / 1000, tz=_BRASILIA).date()
    text = str(value or "").strip()
    for pattern, order in ((_ISO, (0, 1, 2)), (_COMPACT, (0, 1, 2)), (_BR, (2, 1, 0))):
        match = pattern.search(text)
        if match:
            parts = match.groups()
            try:
                return date(int(parts[order[0]]), int(parts[order[1]]), int(parts[order[2]]))
            except ValueError:
                return None
    return None


def br_date(value: date | None) -> str:
    """``16/05/2022`` (empty when unknown)."""
    return value.strftime("%d/%m/%Y") if value else ""


def field_where(doc: SourceDocument, name: str, value: str | None) -> tuple[int | None, Where]:
    """Offset of a field value inside ``doc.text`` (``None`` if absent) and the matching provenance."""
    if value:
        offset = doc.text.find(value)
        if offset != -1:
            return offset, at(offset, offset + len(value))
    return None, in_field(name)


def add_processo(
    builder: ExtractionBuilder, ref: ProcessoRef, where: Where, *, description: str = "", **attributes: Any
) -> str:
    """A process node; a compound class also adds the main process and the PERTENCE_A edge."""
    entity = entities.processo_entity(ref, description=description, **attributes)
    builder.entity(entity, where)
    if ref.compound:
        builder.entity(entities.main_processo_entity(ref), where)
        builder.relate(ref.key, RelationType.PERTENCE_A, ref.main_key, rules.STRUCTURED, "", where)
    return entity.key


def add_orgao(builder: ExtractionBuilder, ref: OrgaoRef, where: Where) -> str:
    """An órgão node; a turma also gets its section and the PERTENCE_A edge to it."""
    builder.entity(entities.orgao_entity(ref), where)
    secao = orgao_by_code(ref.secao) if ref.secao else None
    if secao is not None:
        builder.entity(entities.orgao_entity(secao), where)
        builder.relate(ref.key, RelationType.PERTENCE_A, secao.key, rules.STRUCTURED, "", where)
    return ref.key


def add_relator(
    builder: ExtractionBuilder, name: str | None, processo_key: str, orgao: OrgaoRef | None, where: Where
) -> MinistroRef | None:
    """Relator node with RELATOR_DE (and PERTENCE_A to the órgão when known)."""
    ref = parse_ministro(name or "")
    if ref is None:
        return None
    builder.entity(entities.ministro_entity(ref), where)
    builder.relate(ref.key, RelationType.RELATOR_DE, processo_key, rules.STRUCTURED, "", where)
    if orgao is not None:
        builder.relate(ref.key, RelationType.PERTENCE_A, orgao.key, rules.MEMBERSHIP, "", where)
    return ref


def orgao_of(*values: str | None) -> OrgaoRef | None:
    """First value that names an órgão."""
    for value in values:
        ref = parse_orgao(value)
        if ref:
            return ref
    return None


def decisao_entity(
    doc: SourceDocument,
    label: str,
    processo_name: str,
    when: date | None,
    description: str,
    attributes: dict[str, Any],
) -> Entity:
    """The decision node of a document: ``decisao:<document key>``."""
    suffix = f" ({br_date(when)})" if when else ""
    data = {k: v for k, v in attributes.items() if v not in (None, "", [], ())}
    return Entity(
        f"decisao:{slug(doc.key)}",
        EntityType.DECISAO,
        f"{label} no {processo_name}{suffix}",
        squash(description),
        data,
    )

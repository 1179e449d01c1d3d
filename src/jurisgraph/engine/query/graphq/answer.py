"""Rows of a graph query and the sentence that answers it (pure: no database)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from jurisgraph.engine.legal.orgaos import orgao_by_code
from jurisgraph.engine.query.graphq.model import Aggregate, DateField, GraphQuery, Relation
from jurisgraph.engine.text import join_list

SHOWN = 12
_NUMBER = re.compile(r"(\d+)")


@dataclass(frozen=True, slots=True)
class Record:
    """The source record that proves a row: a document of the corpus."""

    document_key: str
    kind: str
    title: str
    processo: str | None = None
    orgao_julgador: str | None = None
    relator: str | None = None
    date: str | None = None
    source_url: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the answer table: an entity, its key facts, its count (top N) and its record."""

    key: str
    label: str
    day: date | None = None
    count: int | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    record: Record | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        data = asdict(self)
        data["day"] = self.day.isoformat() if self.day else None
        return data


def natural_key(key: str) -> tuple[tuple[int, str], ...]:
    """``tema:2`` before ``tema:10``, ``art_85`` before ``art_1022``: numbers compare as numbers."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in _NUMBER.split(key) if part)


def noun(query: GraphQuery) -> tuple[str, str]:
    """(singular, plural) of what the rows are."""
    if query.relation == Relation.ORIGINA:
        return "súmula", "súmulas"
    if query.relation == Relation.DISPOSITIVOS:
        return "dispositivo", "dispositivos"
    if query.relation == Relation.CITA:
        return "acórdão", "acórdãos"
    tipo = query.filters.tipo
    return {
        "Tema": ("tema repetitivo", "temas repetitivos"),
        "Controvérsia": ("controvérsia", "controvérsias"),
        "IAC": ("IAC", "IACs"),
        "PUIL": ("PUIL", "PUILs"),
        "SIRDR": ("SIRDR", "SIRDRs"),
    }.get(tipo or "", ("precedente qualificado", "precedentes qualificados"))


def _years(query: GraphQuery, verb: str) -> str:
    f = query.filters
    if f.year_from is None and f.year_to is None:
        return ""
    if f.year_from == f.year_to:
        return f"{verb} em {f.year_from}"
    if f.year_to is None:
        return f"{verb} desde {f.year_from}"
    if f.year_from is None:
        return f"{verb} até {f.year_to}"
    return f"{verb} entre {f.year_from} e {f.year_to}"


def conditions(query: GraphQuery, names: dict[str, str]) -> str:
    """The query's conditions in Portuguese (" da Primeira Seção, relatados pelo Min. X, …")."""
    f = query.filters
    parts: list[str] = []
    orgao = orgao_by_code(f.orgao) if f.orgao else None
    if orgao is not None:
        parts.append(f"do órgão {orgao.exibicao}")
    anchors = [names.get(a, a) for a in query.anchors]
    if query.relation == Relation.RELATOR and anchors:
        parts.append(f"com recurso representativo relatado por {anchors[0]}")
    elif query.relation == Relation.CITA and anchors:
        parts.append(f"citando {join_list(anchors)}")
    elif query.relation == Relation.DISPOSITIVOS and anchors:
        parts.append(f"de {anchors[0]}")
    elif query.relation == Relation.TEMAS and anchors:
        parts.append(join_list(anchors))
    if query.relation == Relation.ORIGINA:
        parts.append("originadas de temas")
    verb = "afetados" if f.date_field == DateField.AFETACAO else "julgados"
    if query.relation in (Relation.CITA, Relation.DISPOSITIVOS):
        verb = "em acórdãos julgados"
    years = _years(query, verb)
    if years:
        parts.append(years)
    if f.situacao:
        parts.append(f"com situação “{f.situacao}”")
    if f.classe:
        parts.append(f"da classe {f.classe}")
    return (" " + ", ".join(parts)) if parts else ""


def _label(row: Row, n: int | None) -> str:
    marker = f" [{n}]" if n is not None else ""
    count = f" ({row.count})" if row.count is not None else ""
    return f"{row.label}{count}{marker}"


def sentence(
    query: GraphQuery, rows: list[Row], total: int, names: dict[str, str], numbers: dict[str, int]
) -> str:
    """The answer sentence; ``numbers`` maps a row key to its citation number."""
    one, many = noun(query)
    where = conditions(query, names)
    if total == 0:
        return f"Nenhum registro encontrado, nas fontes disponíveis, para {many}{where}."
    shown = [_label(r, numbers.get(r.key)) for r in rows[:SHOWN]]
    listing = join_list(shown) + (f" e mais {total - SHOWN}" if total > SHOWN else "")
    agg = query.aggregate
    if agg == Aggregate.COUNT:
        word = one if total == 1 else many
        return f"{total} {word}{where}: {listing}."
    if agg == Aggregate.TOP:
        return f"Os {min(query.limit, total)} {many} mais citados{where} (nº de acórdãos): {listing}."
    if agg in (Aggregate.EARLIEST, Aggregate.LATEST):
        which = "mais antigo" if agg == Aggregate.EARLIEST else "mais recente"
        day = rows[0].day.strftime("%d/%m/%Y") if rows[0].day else "data desconhecida"
        return f"O {one} {which}{where} é {listing} ({day})."
    if agg == Aggregate.YEAR:
        first = rows[0]
        verb = "afetado" if query.filters.date_field == DateField.AFETACAO else "julgado"
        if first.day is None:
            return f"{_label(first, numbers.get(first.key))}: sem data de {verb} registrada."
        return f"{_label(first, numbers.get(first.key))} foi {verb} em {first.day.year}."
    word = one if total == 1 else many
    return f"{total} {word}{where}: {listing}."

"""Parsers of the espelho citation fields: ``jurisprudenciaCitada`` and ``acordaosSimilares``.

``jurisprudenciaCitada`` groups citations under a topic in parentheses, then a court::

    (HONORÁRIOS ADVOCATÍCIOS - MARCO TEMPORAL)
       STJ - <<REsp 1465535>>-SP
    (FIXAÇÃO DE HONORÁRIOS ...)
       STJ - <<REsp 1850512>>-SP (RECURSO REPETITIVO - TEMA(s) 1076),
             <<REsp 1877883>>-SP (RECURSO REPETITIVO - TEMA(s) 1076)

An ``acordaosSimilares`` item looks like
``"AgInt na ExeMS  18409 DF 2018/0229287-0 Decisão:02/09/2024\\nDJE DATA:05/09/2024"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from jurisgraph.engine.legal.processos import ProcessoRef, make_ref, normalize_registro, parse_processo
from jurisgraph.engine.text import squash

_CITED = re.compile(
    r"(?P<topic>\((?:[^()]|\([^()]*\))+\))(?=\s*\n\s*[A-Z]{2,6}\s+-\s)"
    r"|(?m:^\s*(?P<court>[A-Z]{2,6})\s+-\s+)"
    r"|<<\s*(?P<proc>[^<>]+?)\s*>>(?:\s*-\s*(?P<uf>[A-Z]{2})\b)?"
    r"(?:[ \t]*(?P<note>\((?:[^()]|\([^()]*\))*\)))?"
)
_TEMAS = re.compile(r"TEMA\(?S?\)?\s*((?:\d[\d.]*\s*(?:,|E)?\s*)+)", re.IGNORECASE)
_NUMBER = re.compile(r"\d[\d.]*")
_SIMILAR = re.compile(
    r"^\s*(?P<classe>\S.*?)\s+(?P<num>\d[\d.]*)\s+(?P<uf>[A-Z]{2})\b(?:\s+(?P<reg>\d{4}/\d{7}-\d))?"
    r"(?:.*?Decis[ãa]o\s*:\s*(?P<dec>\d{2}/\d{2}/\d{4}))?",
    re.DOTALL,
)
_DATA = re.compile(r"DATA\s*:\s*(\d{2})/(\d{2})/(\d{4})")


@dataclass(frozen=True, slots=True)
class CitedPrecedent:
    """One ``<<...>>`` item: the process, its court, the topic it was cited for and any temas."""

    ref: ProcessoRef
    court: str
    topic: str | None
    note: str | None
    temas: tuple[int, ...]
    start: int
    end: int

    @property
    def repetitivo(self) -> bool:
        """True when the citation is flagged as a repetitive appeal judgment."""
        return bool(self.note and "REPETITIVO" in self.note.upper())


@dataclass(frozen=True, slots=True)
class SimilarAcordao:
    """One ``acordaosSimilares`` item."""

    ref: ProcessoRef
    numero_registro: str | None
    data_decisao: date | None
    data_publicacao: date | None


def _date(text: str | None) -> date | None:
    if not text:
        return None
    day, month, year = (int(part) for part in text.split("/"))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_jurisprudencia_citada(text: str | None) -> list[CitedPrecedent]:
    """Every ``<<CLASSE NÚMERO>>-UF`` item, with its court (``STJ``, ``STF``...), topic and temas."""
    if not text:
        return []
    topic: str | None = None
    court = "STJ"
    found: list[CitedPrecedent] = []
    for match in _CITED.finditer(text):
        if match["topic"]:
            topic = squash(match["topic"][1:-1])
            continue
        if match["court"]:
            court = match["court"]
            continue
        ref = parse_processo(match["proc"])
        if ref is None:
            continue
        if court != "STJ" and ref.tribunal == "STJ":
            ref = ProcessoRef(ref.classes, ref.connectors, ref.numero, ref.uf, court)
        ref = ref.with_uf(match["uf"])
        note = squash(match["note"][1:-1]) if match["note"] else None
        temas: list[int] = []
        if note:
            for group in _TEMAS.finditer(note):
                temas += [int(n.replace(".", "")) for n in _NUMBER.findall(group.group(1))]
        found.append(CitedPrecedent(ref, court, topic, note, tuple(temas), match.start("proc"), match.end()))
    return found


def parse_acordao_similar(text: str | None) -> SimilarAcordao | None:
    """Parse one ``acordaosSimilares`` item; ``None`` when no class and number can be read."""
    if not text:
        return None
    match = _SIMILAR.match(text)
    if not match:
        return None
    ref = make_ref(match["classe"], match["num"], match["uf"])
    if ref is None:
        return None
    published = _DATA.search(text, match.end())
    publicacao = _date("/".join(published.groups())) if published else None
    return SimilarAcordao(ref, normalize_registro(match["reg"] or ""), _date(match["dec"]), publicacao)

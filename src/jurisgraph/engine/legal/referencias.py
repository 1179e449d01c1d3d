"""Parser of the espelho ``referenciasLegislativas`` items.

One item looks like::

    LEG:FED LEI:013105 ANO:2015
    *****  CPC-15    CÓDIGO DE PROCESSO CIVIL DE 2015
            ART:00085 PAR:00002 PAR:00003 ART:01022

Súmulas come as ``LEG:FED SUM:****** ANO:****`` blocks whose sigla line says
``SUM(STJ)`` or ``SUM(STF)``, followed by ``SUM:000007`` tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jurisgraph.engine.legal import normas
from jurisgraph.engine.legal.sumulas import sumula_key
from jurisgraph.engine.text import fold, slug, squash

_HEADER = re.compile(
    r"LEG\s*:\s*(?P<esfera>[A-Z]+)\s+(?P<tipo>[A-Z]{2,4})\s*:\s*(?P<num>[0-9*]+[A-Z]?)"
    r"(?:\s+ANO\s*:\s*(?P<ano>[0-9*]+))?(?:\s+UF\s*:\s*(?P<uf>[A-Z]{2}))?"
)
_SIGLA = re.compile(r"^\s*\*{3,}\s+(?P<sigla>\S+)(?:\s+(?P<nome>.+?))?\s*$", re.MULTILINE)
_TOKEN = re.compile(r"\b(?P<kind>ART|PAR|INC|LET|ALI|SUM|SUV)\s*:\s*(?P<value>[0-9A-Za-zÀ-ÿ*]+)")
_NOTE = re.compile(r"^\s*(\(.*\))\s*$", re.MULTILINE)
_YEAR_SUFFIX = re.compile(r"-\d+$")
_ARTICLE_VALUE = re.compile(r"^0*(?P<num>\d+)(?P<suf>[A-Z]?)$")
LEG_TYPES: dict[str, str] = {
    "LEI": "lei",
    "LCP": "lc",
    "DEL": "dl",
    "DEC": "dec",
    "EMC": "emc",
    "MPR": "mp",
    "MPV": "mp",
    "RES": "res",
    "PRT": "prt",
    "INT": "in",
    "DLG": "dlg",
}
CONSTITUTION_TYPES = frozenset({"CFB", "CFD", "CF", "CON"})
SUMULA_TYPES = frozenset({"SUM", "SUV"})


@dataclass(frozen=True, slots=True)
class ReferenciaLegislativa:
    """One parsed item: the law (``law_key`` is ``None`` for súmula blocks), its articles and súmulas."""

    raw: str
    esfera: str
    tipo: str
    numero: str | None
    ano: int | None
    sigla: str | None
    nome: str | None
    law_key: str | None
    artigos: tuple[normas.ArticleRef, ...] = ()
    sumulas: tuple[str, ...] = ()
    observacao: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _roman(value: int) -> str:
    numerals = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    out = []
    for amount, symbol in numerals:
        while value >= amount:
            out.append(symbol)
            value -= amount
    return "".join(out)


def _law_key(esfera: str, tipo: str, numero: str, ano: int | None, sigla: str | None) -> str | None:
    if tipo in SUMULA_TYPES:
        return None
    if tipo in CONSTITUTION_TYPES:
        if sigla and fold(sigla).startswith("adct"):
            return f"adct:{ano or 1988}"
        return f"cf:{ano or 1988}"
    prefix = LEG_TYPES.get(tipo, tipo.lower())
    if esfera != "FED":
        prefix = f"{prefix}_{esfera.lower()}"
    match = _ARTICLE_VALUE.match(numero)
    if match:
        return (
            normas.law_key(prefix, match["num"], ano, match["suf"])
            if esfera == "FED"
            else (f"{prefix}:{int(match['num'])}{match['suf'].lower()}" + (f"_{ano}" if ano else ""))
        )
    if sigla:
        known = normas.law_key_for(sigla)
        if known:
            return known
        return f"norma:{slug(_YEAR_SUFFIX.sub('', sigla))}"
    return f"norma:{tipo.lower()}_{ano}" if ano else None


def _paragraph(value: str) -> str:
    folded = fold(value)
    if folded.startswith("unic"):
        return "único"
    return str(int(value)) if value.isdigit() else value.lower()


def _inciso(value: str) -> str:
    return _roman(int(value)) if value.isdigit() and int(value) > 0 else value.upper()


def parse_referencia(raw: str) -> ReferenciaLegislativa | None:
    """Parse one ``referenciasLegislativas`` item; ``None`` when it has no ``LEG:`` header."""
    header = _HEADER.search(raw or "")
    if header is None:
        return None
    esfera, tipo, numero = header["esfera"], header["tipo"], header["num"]
    ano_text = header["ano"] or ""
    ano = int(ano_text) if ano_text.isdigit() else None
    sigla_match = _SIGLA.search(raw, header.end())
    sigla = sigla_match["sigla"] if sigla_match else None
    nome = squash(sigla_match["nome"]) if sigla_match and sigla_match["nome"] else None
    body_start = sigla_match.end() if sigla_match else header.end()
    articles: list[normas.ArticleRef] = []
    current: dict[str, list[str]] | None = None
    current_num: tuple[int, str] | None = None
    sumulas: list[str] = []
    court = "STF" if sigla and "STF" in sigla.upper() else "STJ"
    vinculante = tipo == "SUV" or bool(nome and "VINCULANTE" in nome.upper())

    def close() -> None:
        if current is not None and current_num is not None:
            articles.append(
                normas.ArticleRef(
                    current_num[0],
                    current_num[1],
                    tuple(current["PAR"]),
                    tuple(current["INC"]),
                    tuple(current["LET"]),
                )
            )

    for token in _TOKEN.finditer(raw, body_start):
        kind, value = token["kind"], token["value"]
        if kind in SUMULA_TYPES:
            if value.isdigit():
                sumulas.append(sumula_key(int(value), court, vinculante=vinculante or kind == "SUV"))
            continue
        if kind == "ART":
            close()
            match = _ARTICLE_VALUE.match(value.upper())
            current_num = (int(match["num"]), match["suf"]) if match else None
            current = {"PAR": [], "INC": [], "LET": []} if match else None
        elif current is not None:
            bucket = "LET" if kind in {"LET", "ALI"} else kind
            item = _paragraph(value) if kind == "PAR" else _inciso(value) if kind == "INC" else value.lower()
            if item not in current[bucket]:
                current[bucket].append(item)
    close()
    note = _NOTE.search(raw, body_start)
    return ReferenciaLegislativa(
        raw=raw,
        esfera=esfera,
        tipo=tipo,
        numero=None if "*" in numero else numero,
        ano=ano,
        sigla=sigla,
        nome=nome,
        law_key=_law_key(esfera, tipo, numero, ano, sigla),
        artigos=tuple(articles),
        sumulas=tuple(sumulas),
        observacao=note.group(1) if note else None,
    )

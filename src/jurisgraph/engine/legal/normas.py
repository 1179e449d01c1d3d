"""Legislation: canonical keys, display names and the alias table.

Key scheme (law level): ``<tipo>:<número>_<ano>`` with ``lei`` (lei ordinária), ``lc`` (lei
complementar), ``dl`` (decreto-lei), ``dec`` (decreto), ``emc`` (emenda constitucional),
``mp`` (medida provisória), ``res``, ``prt``, ``in``, ``dlg``; the constitution is ``cf:1988``
and its transitory act ``adct:1988``; norms without a number use ``norma:<sigla>``
(``norma:ristj``). Articles append ``:art_<n>[letra]`` (``lei:13105_2015:art_85``,
``lei:9494_1997:art_1f``). Paragraphs, incisos and alíneas are not nodes: they stay in
:class:`ArticleRef` and in the description of the edge that cites them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from jurisgraph.engine.legal import reference
from jurisgraph.engine.legal.text import full_year, ordinal_article, parse_int, thousands
from jurisgraph.engine.text import fold, join_list, squash

CPC_2015 = "lei:13105_2015"
CPC_1973 = "lei:5869_1973"
CC_2002 = "lei:10406_2002"
CC_1916 = "lei:3071_1916"
BARE_CPC = "@cpc"
BARE_CC = "@cc"
_CPC_2015_START = date(2016, 3, 18)
_CC_2002_START = date(2003, 1, 11)

PREFIXES: dict[str, tuple[str, str]] = {
    "lei": ("Lei", "da"),
    "lc": ("Lei Complementar", "da"),
    "dl": ("Decreto-Lei", "do"),
    "dec": ("Decreto", "do"),
    "emc": ("Emenda Constitucional", "da"),
    "mp": ("Medida Provisória", "da"),
    "res": ("Resolução", "da"),
    "prt": ("Portaria", "da"),
    "in": ("Instrução Normativa", "da"),
    "dlg": ("Decreto Legislativo", "do"),
}
_KEY = re.compile(r"^(?P<prefix>[a-z]+)(?:_[a-z]+)*:(?P<num>\d+)(?P<suf>[a-z]?)_(?P<ano>\d{4})$")
_BARE = {"cpc": BARE_CPC, "codigo de processo civil": BARE_CPC, "cc": BARE_CC, "codigo civil": BARE_CC}
_GENERIC = re.compile(
    r"^(?P<tipo>lei\s+complementar|lei|decreto[\s-]+lei|decreto\s+legislativo|decreto|medida\s+provisoria|"
    r"emenda\s+constitucional|lc|dl|mp|ec)\s*(?:federal\s+)?(?:n[o.]?\s*|numero\s+)?"
    r"(?P<num>\d{1,3}(?:\.\d{3})+|\d{1,6})(?:-(?P<suf>[a-z]|\d{1,3}))?"
    r"\s*(?:/\s*(?P<year>\d{4}|\d{2})|,?\s+de\s+(?P<year2>\d{4}))?$"
)
GENERIC_TYPES: dict[str, str] = {
    "lei": "lei",
    "lei complementar": "lc",
    "lc": "lc",
    "decreto-lei": "dl",
    "decreto lei": "dl",
    "dl": "dl",
    "decreto": "dec",
    "decreto legislativo": "dlg",
    "medida provisoria": "mp",
    "mp": "mp",
    "emenda constitucional": "emc",
    "ec": "emc",
}


@dataclass(frozen=True, slots=True)
class Norma:
    """A law-level node: ``formal`` is ``"Lei 13.105/2015"``, ``curto`` a usual short label."""

    key: str
    formal: str
    curto: str | None = None
    prep: str = "da"
    nome: str | None = None
    url: str | None = None
    usual: bool = False

    @property
    def label(self) -> str:
        """What follows ``"art. 85 do"``: the usual short label (``CPC/2015``) or the formal name."""
        return self.curto if self.curto and self.usual else self.formal

    @property
    def name(self) -> str:
        """Display name: ``"Lei 8.078/1990 (CDC)"``, ``"Lei 12.249/2010"``."""
        if self.curto and self.curto != self.formal:
            return f"{self.formal} ({self.curto})"
        return self.formal

    @property
    def label_prep(self) -> str:
        """Preposition before :attr:`label` (``"do"`` CPC/2015, ``"da"`` Lei 12.249/2010)."""
        if self.label == self.curto:
            return self.prep
        return PREFIXES.get(self.key.split(":")[0], ("", self.prep))[1]

    def article_name(self, numero: int, suffix: str = "") -> str:
        """``"art. 85 do CPC/2015"``."""
        return f"art. {ordinal_article(numero, suffix)} {self.label_prep} {self.label}"

    def cite(self, article: ArticleRef) -> str:
        """``"art. 85, §§ 2º e 3º do CPC/2015"`` (the article with its sub-divisions)."""
        return f"{article.label} {self.label_prep} {self.label}"


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """One cited article with the paragraphs, incisos and alíneas cited with it."""

    numero: int
    suffix: str = ""
    paragrafos: tuple[str, ...] = ()
    incisos: tuple[str, ...] = ()
    alineas: tuple[str, ...] = ()

    def key(self, law_key: str) -> str:
        """``lei:13105_2015:art_85``."""
        return article_key(law_key, self.numero, self.suffix)

    @property
    def label(self) -> str:
        """``"art. 85, §§ 2º e 3º, inc. I"`` (the article with its sub-divisions)."""
        parts = [f"art. {ordinal_article(self.numero, self.suffix)}"]
        if self.paragrafos:
            shown = [
                p if p == "único" else f"{p}º" if p.isdigit() and int(p) < 10 else p for p in self.paragrafos
            ]
            sign = "§" if len(shown) == 1 else "§§"
            parts.append("parágrafo único" if shown == ["único"] else f"{sign} {join_list(shown)}")
        if self.incisos:
            parts.append(f"inc. {join_list(list(self.incisos))}")
        if self.alineas:
            parts.append(f"al. {join_list(list(self.alineas))}")
        return ", ".join(parts)


def article_key(law_key: str, numero: int, suffix: str = "") -> str:
    """Key of an article of a law: ``lei:13105_2015:art_85``, ``lei:9494_1997:art_1f``."""
    return f"{law_key}:art_{numero}{suffix.lower()}"


def law_key(prefix: str, numero: int | str, ano: int | None, suffix: str = "") -> str:
    """Law key from its parts; without a year the number is looked up in the table."""
    number = parse_int(str(numero)) or 0
    base = f"{prefix}:{number}{suffix.lower()}"
    if ano:
        return f"{base}_{ano}"
    return _by_number().get(base, base)


@cache
def _table() -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in reference.normas()}


@cache
def _by_number() -> dict[str, str]:
    """``"lei:8213"`` → ``"lei:8213_1991"`` for the numbered norms of the table."""
    index: dict[str, str] = {}
    for key in _table():
        match = _KEY.match(key)
        if match:
            index[f"{key.split(':')[0]}:{match['num']}{match['suf']}"] = key
    return index


@cache
def norma(key: str) -> Norma:
    """The :class:`Norma` of a law key (from the table, or derived from the key itself)."""
    row = _table().get(key, {})
    formal = row.get("formal") or _formal_from_key(key) or row.get("nome") or key
    prefix = key.split(":")[0].split("_")[0]
    prep = row.get("prep") or PREFIXES.get(prefix, ("", "da"))[1]
    usual = bool(row.get("avulsa")) or key.startswith(("cf:", "adct:", "norma:"))
    return Norma(key, formal, row.get("curto"), prep, row.get("nome"), row.get("url"), usual)


def _formal_from_key(key: str) -> str | None:
    match = _KEY.match(key)
    if not match or match["prefix"] not in PREFIXES:
        return None
    number = thousands(int(match["num"]))
    if match["suf"]:
        number += f"-{match['suf'].upper()}"
    return f"{PREFIXES[match['prefix']][0]} {number}/{match['ano']}"


@dataclass(frozen=True, slots=True)
class Alias:
    """One alias of the table: ``key`` may be ``@cpc``/``@cc`` (decided by date)."""

    key: str
    sigla: bool
    standalone: bool
    text: str


@cache
def aliases() -> dict[str, Alias]:
    """Folded alias → :class:`Alias` (names, siglas, STJ siglas, bare CPC/CC)."""
    table: dict[str, Alias] = {}
    for row in reference.normas():
        standalone = bool(row.get("avulsa"))
        for name in row.get("nomes", []):
            table.setdefault(fold(name), Alias(row["key"], False, True, name))
        for sigla in row.get("siglas", []):
            table.setdefault(fold(sigla), Alias(row["key"], True, standalone or len(sigla) > 4, sigla))
        for sigla in row.get("stj", []):
            table.setdefault(fold(sigla), Alias(row["key"], True, True, sigla))
    for text, key in _BARE.items():
        table[text] = Alias(
            key, len(text) < 5, text == "cpc" or " " in text, text.upper() if len(text) < 5 else text
        )
    return table


def resolve_bare(key: str, reference_date: date | None) -> str:
    """Map ``@cpc``/``@cc`` to the code in force at ``reference_date`` (today's codes by default)."""
    if key == BARE_CPC:
        return CPC_1973 if reference_date and reference_date < _CPC_2015_START else CPC_2015
    if key == BARE_CC:
        return CC_1916 if reference_date and reference_date < _CC_2002_START else CC_2002
    return key


def law_key_for(text: str, reference_date: date | None = None) -> str | None:
    """Key of a law written any usual way: ``"CPC-15"``, ``"CPC/2015"``, ``"Lei 13.105/2015"``,
    ``"Código de Processo Civil de 2015"``, ``"Lei n. 8.078/90"``, ``"CF/88"``; ``None`` if unknown.
    """
    folded = squash(fold(text))
    alias = aliases().get(folded)
    if alias:
        return resolve_bare(alias.key, reference_date)
    match = _GENERIC.match(folded)
    if not match:
        return None
    return generic_law_key(match["tipo"], match["num"], match["suf"], match["year"] or match["year2"])


def generic_law_key(tipo: str, numero: str, suffix: str | None, year: str | None) -> str | None:
    """Key from the pieces of a ``"Lei n. 8.078/90"`` style citation (folded text)."""
    prefix = GENERIC_TYPES.get(re.sub(r"\s+", " ", tipo.replace(".", "")).strip())
    if prefix is None:
        return None
    ano = full_year(year) if year else None
    letter = suffix if suffix and suffix.isalpha() else ""
    key = law_key(prefix, numero, ano, letter)
    return key if _KEY.match(key) else None

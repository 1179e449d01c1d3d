"""Regular expressions of the free-text rules, compiled once on first use.

All patterns but the minister one run over ``fold(text)`` (lower case, no accents, same
length as the text), so a hard line break or an upper-case ementa changes nothing; white
space between words is always ``\\s+`` so a citation may span a line break.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from jurisgraph.engine.legal import normas, processos, reference
from jurisgraph.engine.legal.trie import trie_pattern
from jurisgraph.engine.text import fold

NUMERO = r"(?:n(?:umero|\.?\s*o|\.)?\s*)?"
_LAW_TYPES = (
    r"lei\s+complementar|lei|decreto[\s-]+lei|decreto\s+legislativo|decreto|medida\s+provisoria|"
    r"emenda\s+constitucional|lc|dl|mp|ec|l\."
)
_ART_NUM = r"(?:\d{1,2}\.\d{3}(?!\d)|\d{1,4}(?![\d]|\.\d))(?:\s?o(?![a-z]))?(?:\s*-\s*[a-z](?![a-z]))?"
_ART_OTHER = (
    r"§§?|paragrafo\s+unico|paragrafos?|par\.\s*unico|caput|incisos?|inc\.|alineas?|al\.|itens|item|c/c|"
    r"e\s+seguintes|e\s+ss\.?|ss\.|seguintes|e/ou|[ivxlc]{1,7}(?![a-z0-9.])|[\"“”']?[a-z][\"”']?(?![a-z0-9.])|"
    r"\(?[a-z]\)|ou"
)
ART_LIST = rf"{_ART_NUM}(?:\s*,?\s*(?>{_ART_NUM}|{_ART_OTHER}))*+"
ART_HEAD = r"\b(?:arts?|artigos?)\b\.?\s*"


@cache
def law_source() -> str:
    """Regex source of one law reference (named groups ``alias`` or ``gtype/gnum/gsuf/gyear*``)."""
    alias = trie_pattern(normas.aliases())
    generic = (
        rf"(?P<gtype>{_LAW_TYPES})\s*(?:(?:federal|estadual|municipal|distrital)\s+)?{NUMERO}"
        r"(?P<gnum>\d{1,3}(?:\.\d{3})+|\d{1,6})(?![\d])(?:-(?P<gsuf>[a-z](?![a-z])|\d{1,3}(?!\d)))?"
        r"(?:\s*/\s*(?P<gyear>\d{4}|\d{2})(?![\d])"
        r"|,?\s+de\s+(?:\d{1,2}o?\s+de\s+[a-z]+\s+de\s+|\d{1,2}[-./]\d{1,2}[-./])(?P<gyear2>\d{4}|\d{2})(?!\d)"
        r"|,?\s+de\s+(?P<gyear3>\d{4})(?!\d))?"
    )
    return rf"(?:\b(?P<alias>{alias})(?![a-z0-9])|\b{generic})"


@cache
def article_re() -> re.Pattern[str]:
    """``art. 85, § 2º, do CPC/2015``: groups ``head``, ``list`` and the law groups."""
    return re.compile(
        rf"(?P<head>{ART_HEAD})(?P<list>{ART_LIST})\s*,?\s*(?:(?:todos\s+)?d[oa]s?\s+|n[oa]s?\s+)?{law_source()}"
    )


@cache
def triggers() -> dict[str, frozenset[str]]:
    """First word (folded) → rule kinds that may start there; the scanner only tries those."""
    kinds: dict[str, set[str]] = {}

    def add(kind: str, words: Iterable[str]) -> None:
        for word in words:
            first = TOKEN.match(word)
            if first:
                kinds.setdefault(first.group(), set()).add(kind)

    add("art", ["art", "arts", "artigo", "artigos"])
    add("law", normas.aliases())
    add("law", ["lei", "decreto", "medida", "emenda", "lc", "dl", "mp", "ec", "l"])
    add("sumula", ["sumula", "sumulas", "enunciado", "enunciados", "verbete", "verbetes"])
    add("tema", ["tema", "temas"])
    # "SE" (sentença estrangeira) is left out: "se" is one of the most common Portuguese words
    siglas = [fold(info.sigla) for info in processos.class_table().values() if info.sigla != "SE"]
    add("processo", siglas + [f"{sigla}s" for sigla in siglas] + list(reference.long_forms()))
    add(
        "ministro",
        [
            "rel",
            "relator",
            "relatora",
            "relatoria",
            "min",
            "ministro",
            "ministra",
            "ministros",
            "ministras",
            "desembargador",
            "desembargadora",
            "juiz",
            "juiza",
        ],
    )
    add(
        "orgao",
        ["primeira", "segunda", "terceira", "quarta", "quinta", "sexta", "corte"]
        + [f"{n}a" for n in range(1, 7)],
    )
    return {word: frozenset(found) for word, found in kinds.items()}


@cache
def law_re() -> re.Pattern[str]:
    """A law mentioned on its own."""
    return re.compile(law_source())


ART_LIST_RE = re.compile(rf"(?P<head>{ART_HEAD})(?P<list>{ART_LIST})")
LAW_FIRST_GAP = re.compile(r"\s*[.,:]?\s*")
TOKEN = re.compile(r"[a-z0-9]+")


ART_TOKEN = re.compile(
    r"(?P<num>\d{1,2}\.\d{3}|\d{1,4})(?:\s?o(?![a-z]))?(?:\s*-\s*(?P<suf>[a-z])(?![a-z]))?"
    r"|(?P<par>§§?|paragrafos?)|(?P<unico>paragrafo\s+unico|par\.\s*unico)"
    r"|(?P<inc>incisos?|inc\.)|(?P<roman>\b[ivxlc]{1,7}\b)|(?P<ali>alineas?|al\.)"
    r"|(?P<letter>[\"“”'(]?\b[a-z]\b[\"”')]?)|(?P<range>\ba\b)|(?P<comma>,)"
)

SUMULA_RE = re.compile(
    r"\b(?P<trig>sumulas?(?:\s+vinculantes?)?|enunciados?(?:\s+sumulares?)?|verbetes?(?:\s+sumulares?)?)"
    rf"\s*{NUMERO}(?P<nums>\d{{1,3}}(?![\d.])(?:\s*(?:,|\be\b)\s*{NUMERO}\d{{1,3}}(?![\d.]))*)"
    r"(?P<tail>\s*(?:/\s*|\s+d[oa]\s+(?:sumula\s+d[oa]\s+)?|,?\s*ambas\s+d[oa]\s+|\s+desta\s+corte"
    r"|\s+deste\s+(?:superior\s+)?tribunal)(?P<court>stj|stf|superior\s+tribunal\s+de\s+justica|"
    r"supremo\s+tribunal\s+federal|tst|tse|tcu|trf\d?|tj[a-z]{0,4})?)?"
)
TEMA_NUM = r"(?:\d{1,2}\.\d{3}(?!\d)|\d{1,4}(?![\d]|\.\d))"
TEMA_RE = re.compile(
    r"\btemas?(?:\(s\))?(?:\s+(?:repetitivos?|de\s+recursos?\s+repetitivos?))?"
    rf"\s*{NUMERO}(?P<nums>{TEMA_NUM}(?:\s*(?:,|\be\b)\s*{NUMERO}{TEMA_NUM})*)"
    r"(?:\s*(?:/|\bd[oa]\b|-)?\s*(?P<court>stj|stf|repercussao\s+geral)\b)?"
)
NUM_IN_LIST = re.compile(r"\d{1,2}\.\d{3}|\d{1,4}")
ORGAO_RE = re.compile(
    r"\b(?:(?P<ord>primeira|segunda|terceira|quarta|quinta|sexta|[1-6]a)\s+(?P<kind>turma|secao)"
    r"|(?P<ce>corte\s+especial))\b(?!\s+d[oa]\s+(?:stf|supremo|tst|trf|tj|tribunal\s+regional))"
)


@cache
def processo_re() -> re.Pattern[str]:
    """Process citations: ``REsp 1.465.535/SP``, ``<<REsp 1465535>>-SP``, ``Recurso Especial n. 1.234``,
    ``REsp. 1.465.535`` (a dot after the sigla, when a number follows)."""
    siglas = trie_pattern(fold(info.sigla) for info in processos.class_table().values())
    chain = rf"{siglas}(?:\s+n[oa]s?\s+{siglas})*"
    longs = trie_pattern(reference.long_forms())
    return re.compile(
        rf"\b(?:(?P<long>{longs})|(?P<cls>{chain}))(?P<plural>s|'s)?(?![a-z])(?:\.(?=\s*(?:{NUMERO})\d))?\s*"
        rf"(?P<n>{NUMERO})(?P<num>\d{{1,3}}(?:\.\d{{3}})+(?![\d])|\d{{1,7}}(?![\d]|\.\d))"
        r"(?P<close>\s*>>)?(?:\s*[/-]\s*(?P<uf>[a-z]{2})(?![a-z]))?"
    )


PROCESSO_MORE_RE = re.compile(
    rf"\s*(?:,|\be\b)\s*{NUMERO}(?P<num>\d{{1,3}}(?:\.\d{{3}})+(?![\d])|\d{{1,7}}(?![\d]|\.\d))"
    r"\s*[/-]\s*(?P<uf>[a-z]{2})(?![a-z])"
)
CLASS_SPLIT = re.compile(r"\s+(n[oa]s?)\s+")

# Ministers run over the original text: capital letters tell names apart.
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zà-öø-ÿ"
NAME_TOKEN = rf"(?!(?:DE|DA|DO|DOS|DAS|E)\b)[{_UPPER}][{_LOWER}{_UPPER}'’]*(?:-[{_UPPER}{_LOWER}]+)*"
NAME_PARTICLE = r"(?:de|da|do|dos|das|di|del|d'|DE|DA|DO|DOS|DAS)"
NAME = rf"{NAME_TOKEN}(?:\s+(?:{NAME_PARTICLE}\s+)*{NAME_TOKEN}){{0,6}}"
PAREN = r"(?:\s*\((?P<paren>[^()]{1,120})\))?"
MINISTRO_RE = re.compile(
    r"(?P<trig>(?i:\brel\.\s*p/\s*(?:o\s+)?ac[óo]rd[ãa]o|\brel(?:ator[a]?)?\s+para\s+o\s+ac[óo]rd[ãa]o"
    r"|\bministr[oa]\s+relator[a]?(?=\s+[A-ZÀ-Þ])|\brel\.|\brelator[a]?(?:\(a\))?\s*:|\brelatoria\s+d[oa]"
    r"|\bmin\.|\bministr[oa]s?(?:\(a\)|\(s\))?(?![a-zà-ÿ])|\bdesembargador[a]?\s+convocad[oa]"
    r"|\bjuiz[a]?\s+federal\s+convocad[oa]))"
    r"\s*(?:-\s*)?(?:(?i:ministr[oa](?:\(a\))?|min\.)\s*)?"
    rf"(?P<name>{NAME}){PAREN}"
)
MINISTRO_MORE_RE = re.compile(rf"(?:\s*,\s*|\s+e\s+)(?P<name>{NAME}){PAREN}")
NAME_WORD = re.compile(rf"{NAME_TOKEN}|{NAME_PARTICLE}")

"""Portuguese list and count questions → a typed :class:`GraphQuery` (or a reason why not).

Rules, no LLM. The shapes covered (and their natural variants):

- "quais temas repetitivos da Segunda Seção tiveram como relator o Min. Moura Ribeiro"
- "quantos temas da Primeira Seção tiveram recurso representativo relatado pelo Min. Sérgio Kukina"
- "quais temas a Terceira Seção julgou em 2015", "liste as controvérsias da Corte Especial"
- "quantos acórdãos da Primeira Turma citam a Súmula 7 desde 2020"
- "quais processos citam o REsp 1.465.535/SP"
- "que súmulas se originaram de temas afetados em 2018"
- "quais dispositivos do CPC/2015 são mais citados pela Primeira Turma"
- "em que ano foi julgado o Tema 1.076", "qual o primeiro tema afetado pela Corte Especial"

Anchors come from the legal rules (súmulas, processos, leis, temas, órgãos, "Min. X") and from
fuzzy minister names (:class:`MinisterNames`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from jurisgraph.engine.legal import find_mentions
from jurisgraph.engine.query.graphq.model import Aggregate, DateField, Filters, GraphQuery, Relation
from jurisgraph.engine.query.graphq.names import MinisterNames
from jurisgraph.engine.text import fold

_COUNT = re.compile(
    r"\b(quant[oa]s|qual (?:o|e o) (?:numero|total)|qual a quantidade|"
    r"(?:o )?numero (?:total )?de|conte|contar)\b"
)
_LIST = re.compile(
    r"\b(quais|liste|listar|relacione|enumere|mostre|qual (?:e )?a (?:lista|relacao)|"
    r"que (?:temas|sumulas|acordaos|processos|dispositivos|artigos|controversias|precedentes))\b"
)
_TOP = re.compile(r"\bmais (citad|referid|invocad|mencionad)[oa]s?\b")
_TOP_N = re.compile(r"\b(?:os|as|top)\s+(\d{1,3})\b|\b(\d{1,3})\s+(?:dispositivos|artigos)\b")
_BARE_LIST = re.compile(
    r"(?:os |as )?(temas|controversias|acordaos|processos|sumulas|dispositivos|precedentes)\b"
)
_YEAR_Q = re.compile(r"\bem que ano\b|\bqual (?:o )?ano\b")
_EARLIEST = re.compile(r"\b(primeir[oa]|mais antig[oa])\b(?!\s+(?:secao|turma))")
_LATEST = re.compile(r"\b(ultim[oa]|mais recente)\b")

_SUBJECTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dispositivo", re.compile(r"\b(dispositivos|artigos)\b")),
    ("sumula", re.compile(r"\bsumulas?\b(?! \d)")),
    ("controversia", re.compile(r"\bcontroversias?\b(?! \d)")),
    ("iac", re.compile(r"\b(iacs?|incidentes? de assuncao de competencia)\b(?! \d)")),
    ("precedente", re.compile(r"\bprecedentes?(?: qualificados?)?\b(?! \d)")),
    ("tema", re.compile(r"\btemas?\b(?: repetitivos?)?(?! \d)")),
    ("processo", re.compile(r"\b(processos|acordaos|julgados|decisoes|recursos)\b")),
)
_TIPO = {"tema": "Tema", "controversia": "Controvérsia", "iac": "IAC", "precedente": None}
_CITE = re.compile(r"\b(cit|referenci|mencion|invoc|aplic)(a|am|aram|ou|ando|adas?|ados?)\b")
_ORIGIN = re.compile(r"\b(origin|result|decorr)\w*")
_RELATOR = re.compile(r"\b(relator|relatora|relatad|relatou|relatoria|min\.?|ministr[oa])\w*")
_AFETACAO = re.compile(r"\b(afetad|afetou|afetac|afetaram)\w*")
_JULGAMENTO = re.compile(r"\b(julgad|julgou|julgaram|julgament|decidid|decidiu)\w*")
_SINCE = re.compile(
    r"\b(?:desde|a partir de|apos|depois de)\s+(?:o ano de\s+)?((?:19|20)\d{2})\b(?!\s*(?:a|e|ate)\s+\d)"
)
_UNTIL = re.compile(r"\b(?:ate|antes de)\s+(?:o ano de\s+)?((?:19|20)\d{2})\b")
_BETWEEN = re.compile(r"\b(?:entre|de)\s+((?:19|20)\d{2})\s+(?:e|a|ate)\s+((?:19|20)\d{2})\b")
_IN_YEAR = re.compile(r"\b(?:em|no ano de|durante|do ano de)\s+((?:19|20)\d{2})\b")
_SITUACOES = (
    (re.compile(r"\btransitad\w* em julgado\b"), "Trânsito em Julgado"),
    (re.compile(r"\bcancelad\w*"), "Cancelad"),
    (re.compile(r"\bsobrestad\w*"), "Sobrestad"),
    (re.compile(r"\bpendentes?\b"), "Pendente"),
    (re.compile(r"\brevisad\w*"), "Revisado"),
)
_CLASSE = re.compile(r"\b(?:em|nos|os|de)\s+(resp|aresp|hc|rhc|ms|agint|agrg|edcl|eresp|cc)s?\b")
_CLASSES = {
    "resp": "REsp",
    "aresp": "AREsp",
    "hc": "HC",
    "rhc": "RHC",
    "ms": "MS",
    "agint": "AgInt",
    "agrg": "AgRg",
    "edcl": "EDcl",
    "eresp": "EREsp",
    "cc": "CC",
}


@dataclass
class Parsed:
    """The outcome of parsing: the query (None when the question is not a mapped shape) and why."""

    query: GraphQuery | None
    reason: str
    anchors: list[dict[str, str]] = field(default_factory=list)
    shaped: bool = False
    """Whether the question has the shape of a list or count (quais, quantos, …)."""


def _aggregate(folded: str) -> Aggregate | None:
    if _YEAR_Q.search(folded):
        return Aggregate.YEAR
    if _COUNT.search(folded):
        return Aggregate.COUNT
    if _TOP.search(folded):
        return Aggregate.TOP
    if _EARLIEST.search(folded):
        return Aggregate.EARLIEST
    if _LATEST.search(folded):
        return Aggregate.LATEST
    if _LIST.search(folded) or _BARE_LIST.match(folded):
        return Aggregate.LIST
    return None


def _subject(folded: str) -> str | None:
    best: tuple[int, str] | None = None
    for name, pattern in _SUBJECTS:
        match = pattern.search(folded)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), name)
    return best[1] if best else None


def _years(folded: str) -> tuple[int | None, int | None]:
    between = _BETWEEN.search(folded)
    if between:
        return int(between.group(1)), int(between.group(2))
    since = _SINCE.search(folded)
    until = _UNTIL.search(folded)
    if since or until:
        return (int(since.group(1)) if since else None), (int(until.group(1)) if until else None)
    year = _IN_YEAR.search(folded)
    if year:
        return int(year.group(1)), int(year.group(1))
    return None, None


def _situacao(folded: str) -> str | None:
    for pattern, value in _SITUACOES:
        if pattern.search(folded):
            return value
    return None


def _top_n(folded: str) -> int:
    match = _TOP_N.search(folded)
    if match:
        return int(match.group(1) or match.group(2))
    return 5


def parse_question(question: str, ministers: MinisterNames | None = None) -> Parsed:
    """The typed graph query of ``question``, or ``Parsed(None, reason)``."""
    folded = " ".join(fold(question).split())
    aggregate = _aggregate(folded)
    if aggregate is None:
        return Parsed(
            None, "sem forma de lista ou contagem (quais, quantos, liste, em que ano, mais citados)"
        )
    mentions = find_mentions(question)
    anchors = [
        {"key": m.entity.key, "type": str(m.entity.type), "text": question[m.start : m.end]} for m in mentions
    ]
    by_type: dict[str, list[str]] = {}
    for anchor in anchors:
        bucket = by_type.setdefault(anchor["type"], [])
        if anchor["key"] not in bucket:
            bucket.append(anchor["key"])
    if "MINISTRO" not in by_type and ministers is not None and _RELATOR.search(folded):
        found = ministers.find(question)
        if found:
            by_type["MINISTRO"] = [found[0].key]
            anchors.append(
                {"key": found[0].key, "type": "MINISTRO", "text": found[0].name, "how": found[0].how}
            )
    orgaos = by_type.get("ORGAO_JULGADOR", [])
    orgao = orgaos[0].split(":", 1)[1].upper() if orgaos else None
    subject = _subject(folded)
    year_from, year_to = _years(folded)
    date_field = DateField.JULGAMENTO
    if _AFETACAO.search(folded) and not _JULGAMENTO.search(folded):
        date_field = DateField.AFETACAO
    tipo = _TIPO.get(subject or "", "Tema")
    situacao = _situacao(folded)
    relation: Relation | None = None
    query_anchors: list[str] = []
    classe = None
    if subject == "dispositivo" and aggregate in (Aggregate.TOP, Aggregate.LIST, Aggregate.COUNT):
        laws = [k for k in by_type.get("LEGISLACAO", []) if ":art_" not in k]
        if laws:
            relation, query_anchors, tipo = Relation.DISPOSITIVOS, laws[:1], None
            if aggregate == Aggregate.LIST and _TOP.search(folded):
                aggregate = Aggregate.TOP
    elif subject == "sumula" and _ORIGIN.search(folded):
        relation = Relation.ORIGINA
        tipo = "Tema" if re.search(r"\btemas?\b", folded) else None
    elif by_type.get("MINISTRO") and subject in ("tema", "controversia", "iac", "precedente", None):
        relation, query_anchors = Relation.RELATOR, by_type["MINISTRO"][:1]
    elif _CITE.search(folded) and subject in ("processo", None):
        targets = [
            a["key"]
            for a in anchors
            if a["type"] in ("SUMULA", "PROCESSO", "PRECEDENTE", "LEGISLACAO", "TEMA")
            and a["key"] not in query_anchors
        ]
        if targets:
            relation, query_anchors, tipo = Relation.CITA, list(dict.fromkeys(targets))[:4], None
            classe_match = _CLASSE.search(folded)
            classe = _CLASSES[classe_match.group(1)] if classe_match else None
    elif aggregate == Aggregate.YEAR and by_type.get("TEMA"):
        relation, tipo = Relation.TEMAS, None
        query_anchors = [k for k in by_type["TEMA"] if not k.startswith("tema:stf")][:1]
    elif (
        subject in ("tema", "controversia", "iac", "precedente")
        and not by_type.get("TEMA")
        and (orgao or year_from or year_to or situacao or aggregate != Aggregate.LIST or subject != "tema")
    ):
        relation = Relation.TEMAS
    if relation is None:
        return Parsed(None, "pergunta de lista ou contagem sem caminho conhecido no grafo", anchors, True)
    try:
        query = GraphQuery(
            relation=relation,
            anchors=tuple(query_anchors),
            filters=Filters(
                orgao=orgao,
                classe=classe,
                year_from=year_from,
                year_to=year_to,
                date_field=date_field,
                situacao=situacao,
                tipo=tipo,
            ),
            aggregate=aggregate,
            limit=_top_n(folded) if aggregate == Aggregate.TOP else 10,
        )
    except ValidationError as exc:
        return Parsed(None, f"consulta inválida: {exc.errors()[0]['msg']}", anchors, True)
    return Parsed(query, f"forma reconhecida: {relation.value}, {aggregate.value}", anchors, True)

"""Reading the ``decisao`` field of an acórdão: who voted how, and what was decided.

``"Os Srs. Ministros Benedito Gonçalves, Sérgio Kukina e Regina Helena Costa votaram com o
Sr. Ministro Relator."`` gives three votes with the relator; ``"Vencido o Sr. Ministro X"``,
``"Impedido o Sr. Ministro Y"``, ``"Presidiu o julgamento o Sr. Ministro Z"`` give other roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jurisgraph.engine.legal.mentions import scan_ministros
from jurisgraph.engine.legal.types import TextMention
from jurisgraph.engine.text import fold, squash

_SENTENCE_END = re.compile(
    r"\.(?<!\bsr\.)(?<!\bsrs\.)(?<!\bsra\.)(?<!\bsras\.)(?<!\bmin\.)(?<!\bn\.)(?<!\bart\.)(?<!\bdr\.)(?=\s|$)"
)
_ROLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"impedid|suspeic"), "impedido"),
    (re.compile(r"nao\s+particip|ausente|licenciad|afastad"), "ausente"),
    (re.compile(r"vencid"), "vencido"),
    (re.compile(r"lavrara\s+o\s+acordao|relator\s+para\s+o\s+acordao"), "relator_acordao"),
    (re.compile(r"votaram\s+com|votou\s+com|acompanharam|acompanhou"), "acompanhou"),
    (re.compile(r"presidiu"), "presidente"),
)
VOTING_ROLES = frozenset({"acompanhou", "vencido", "relator_acordao"})
_DISPOSITIVO = re.compile(
    r"por\s+(?P<votacao>unanimidade|maioria)(?:\s+de\s+votos)?\s*,?\s*(?P<disp>.+?)(?=,?\s+nos\s+termos\b|\.\s|\.?$)",
    re.DOTALL,
)
_RESULTADOS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"parcial\s+provimento|provimento\s+parcial|parcialmente\s+provid|provid[oa]s?\s+em\s+parte"
            r"|provimento\s+em\s+parte"
        ),
        "parcialmente provido",
    ),
    (re.compile(r"neg\w*(?:-lhes?)?\s+seguimento"), "seguimento negado"),
    (
        re.compile(r"neg(?:ar|ou|o|ando)(?:-lhes?)?\s+provimento|nao[- ]provid|improvid|desprovid"),
        "não provido",
    ),
    (re.compile(r"\bd(?:ar|eu|ou|ando)(?:-lhes?)?\s+provimento|\bprovid"), "provido"),
    (re.compile(r"nao[- ]conhec"), "não conhecido"),
    (re.compile(r"nao[- ]acolh|rejeit"), "rejeitado"),
    (re.compile(r"acolh"), "acolhido"),
    (re.compile(r"deneg"), "denegado"),
    (re.compile(r"conced"), "concedido"),
    (re.compile(r"prejudicad"), "prejudicado"),
    (re.compile(r"indefer"), "indeferido"),
    (re.compile(r"\bdefer"), "deferido"),
    (re.compile(r"\bneg(?:ando|ad[oa])\b"), "negado"),
    (re.compile(r"\badmit"), "admitido"),
)


@dataclass(frozen=True, slots=True)
class Voto:
    """A minister named in the decision with a role: ``acompanhou``, ``vencido``,
    ``relator_acordao``, ``presidente``, ``impedido`` or ``ausente``."""

    mention: TextMention
    papel: str


@dataclass(frozen=True, slots=True)
class Resumo:
    """``votacao`` (``"unanimidade"``/``"maioria"``), the operative part and its category."""

    votacao: str | None
    dispositivo: str | None
    resultado: str | None


def parse_votos(decisao: str | None) -> list[Voto]:
    """Ministers named in ``decisao`` with the role their sentence gives them (offsets into ``decisao``)."""
    if not decisao:
        return []
    folded = fold(decisao)
    ends = [m.end() for m in _SENTENCE_END.finditer(folded)] + [len(folded)]
    votes: list[Voto] = []
    for mention in scan_ministros(decisao):
        end = next(e for e in ends if e >= mention.end)
        begin = max([e for e in ends if e < mention.start], default=0)
        sentence = folded[begin:end]
        role = next((name for pattern, name in _ROLES if pattern.search(sentence)), None)
        if role:
            votes.append(Voto(mention, role))
    return votes


def classify_resultado(text: str | None) -> str | None:
    """Category of an operative text: ``"provido"``, ``"não provido"``, ``"não conhecido"``, ..."""
    if not text:
        return None
    folded = fold(text)
    return next((label for pattern, label in _RESULTADOS if pattern.search(folded)), None)


def resumo_decisao(decisao: str | None) -> Resumo:
    """Voting (unanimidade/maioria), operative part and result category of a ``decisao``."""
    if not decisao:
        return Resumo(None, None, None)
    folded = fold(decisao)
    match = _DISPOSITIVO.search(folded)
    if match is None:
        return Resumo(None, None, classify_resultado(decisao))
    dispositivo = squash(decisao[match.start("disp") : match.end("disp")])[:300]
    return Resumo(match["votacao"], dispositivo, classify_resultado(dispositivo))

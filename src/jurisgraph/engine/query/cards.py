"""Extractive statements about one entity of the question, read off the graph and cited.

Each function returns sentences (or list lines) that state graph facts in lawyer-style
names, each ending with the citation of the record that states it. Facts without a source
are never stated.
"""

from __future__ import annotations

from collections.abc import Callable

from jurisgraph.engine.query.context import Citer
from jurisgraph.engine.query.expand import GraphView
from jurisgraph.engine.query.types import Fact
from jurisgraph.engine.query.wording import VERBS, orgao_by, relator_phrase, sentence
from jurisgraph.engine.text import clip, join_list

THESIS_LIMIT = 1500
SHORT_THESIS = 280
LIST_LIMIT = 6

Card = Callable[[GraphView, str, Citer], list[str]]


def _cited(citer: Citer, text: str, *keys: str | None) -> str:
    """``text`` + markers + full stop (markers before the stop); "" when no key is citable, so
    that nothing is stated without its source."""
    marker = citer.marker(keys)
    return f"{text.rstrip().rstrip('.')}{marker}." if marker else ""


def _thesis(view: GraphView, key: str) -> str:
    node = view.nodes.get(key)
    if node is None or not node.description or node.description.startswith(node.name):
        return ""
    return node.description.strip()


def _listing(view: GraphView, citer: Citer, facts: list[Fact], end: str, *extra: str | None) -> list[str]:
    seen: list[str] = []
    items: list[str] = []
    for fact in facts:
        other = fact.source if end == "source" else fact.target
        if other in seen:
            continue
        marker = citer.marker([fact.source_key, *extra])
        if not marker:
            continue
        seen.append(other)
        items.append(f"{view.name(other)}{marker}")
        if len(items) >= LIST_LIMIT:
            break
    return items


def _list_line(prefix: str, items: list[str]) -> str:
    """``"prefix: a [1], b [2] e c [3]."``; "" without items."""
    return sentence(f"{prefix}: {join_list(items)}") if items else ""


def tema_card(view: GraphView, key: str, citer: Citer) -> list[str]:
    """Órgão, leading case and its relator, thesis, situation, súmulas originated."""
    node = view.nodes[key]
    record = view.records.get(key)
    used: list[str | None] = [record]
    parts: list[str] = []
    for fact in view.outgoing(key, "JULGADO_POR")[:1]:
        parts.append(view.name(fact.target))
        used.append(fact.source_key)
    for fact in view.incoming(key, "LEADING_CASE_DE")[:1]:
        leading = f"leading case {view.name(fact.source)}"
        used.append(fact.source_key)
        for rel in view.incoming(fact.source, "RELATOR_DE")[:1]:
            leading += f", Rel. {view.name(rel.source)}"
            used.append(rel.source_key)
        parts.append(leading)
    head = f"{node.name} ({'; '.join(parts)})" if parts else node.name
    thesis = _thesis(view, key)
    question = str(node.attributes.get("questao") or "")
    if thesis:
        lines = [_cited(citer, f"{head}: “{clip(thesis, THESIS_LIMIT)}”", *used)]
    elif question:
        text = f"{head}. Questão submetida a julgamento: “{clip(question, THESIS_LIMIT)}”"
        lines = [_cited(citer, text, *used)]
    else:
        lines = [_cited(citer, head, *used)]
    situacao = node.attributes.get("situacao")
    if situacao and record:
        lines.append(_cited(citer, f"Situação do {node.name}: {situacao}", record))
    for fact in view.outgoing(key, "ORIGINOU_SUMULA")[:3]:
        text = f"O {node.name} deu origem à {view.name(fact.target)}"
        enunciado = _thesis(view, fact.target)
        if enunciado:
            text += f": “{clip(enunciado, SHORT_THESIS)}”"
        lines.append(_cited(citer, text, fact.source_key))
    return lines


def processo_card(view: GraphView, key: str, citer: Citer) -> list[str]:
    """Relator, órgão, temas (leading case or affected), laws, citing and cited precedents."""
    name = view.name(key)
    lines: list[str] = []
    for fact in view.incoming(key, "RELATOR_DE")[:2]:
        lines.append(_cited(citer, relator_phrase(name, view.name(fact.source)), fact.source_key))
    for fact in view.outgoing(key, "JULGADO_POR")[:1]:
        lines.append(
            _cited(citer, f"O {name} foi julgado {orgao_by(view.name(fact.target))}", fact.source_key)
        )
    leading = view.outgoing(key, "LEADING_CASE_DE")
    for fact in leading[:2]:
        text = f"O {name} é o leading case do {view.name(fact.target)}"
        thesis = _thesis(view, fact.target)
        if thesis:
            text += f", cuja tese é: “{clip(thesis, SHORT_THESIS)}”"
        lines.append(_cited(citer, text, fact.source_key, view.records.get(fact.target)))
    done = {f.target for f in leading}
    temas = [
        f for f in view.outgoing(key, "TRATA_DE") if view.type_of(f.target) == "TEMA" and f.target not in done
    ]
    if temas:
        lines.append(_list_line("Está vinculado a", _listing(view, citer, temas, "target")))
    laws = [f for f in view.outgoing(key, "REFERENCIA") if view.type_of(f.target) == "LEGISLACAO"]
    if laws:
        lines.append(_list_line("Referências legislativas", _listing(view, citer, laws, "target")))
    citing = view.incoming(key, "CITA_PRECEDENTE")
    if citing:
        lines.append(_list_line("É citado como precedente em", _listing(view, citer, citing, "source")))
    return lines


def _law_article(name: str) -> str:
    lower = name.lower()
    if lower.startswith(("lei", "constitui", "emenda", "medida", "resolu", "portaria", "instru", "súmula")):
        return "a "
    if lower.startswith(("art", "decreto", "código", "codigo", "estatuto", "regimento")):
        return "o "
    return ""


def legislacao_card(view: GraphView, key: str, citer: Citer) -> list[str]:
    """Temas that refer to a law or article (with their theses), then processes that cite it."""
    name = view.name(key)
    refs = view.incoming(key, "REFERENCIA")
    temas = [f for f in refs if view.type_of(f.source) == "TEMA"]
    lines: list[str] = []
    if temas:
        lines.append(f"Temas que referenciam {_law_article(name)}{name}:")
        for fact in temas[: LIST_LIMIT * 2]:
            thesis = _thesis(view, fact.source)
            text = f"- {view.name(fact.source)}" + (f": “{clip(thesis, SHORT_THESIS)}”" if thesis else "")
            lines.append(_cited(citer, text, fact.source_key, view.records.get(fact.source)))
    others = [f for f in refs if view.type_of(f.source) != "TEMA"]
    if others:
        pronoun = "o" if _law_article(name) == "o " else "a"
        lines.append(_list_line(f"Também {pronoun} citam", _listing(view, citer, others, "source")))
    return lines


def sumula_card(view: GraphView, key: str, citer: Citer) -> list[str]:
    """Statement of a súmula, the tema it came from, and where it is applied."""
    name = view.name(key)
    lines: list[str] = []
    enunciado = _thesis(view, key)
    record = view.records.get(key)
    if enunciado and record:
        lines.append(_cited(citer, f"{name}: “{clip(enunciado, THESIS_LIMIT)}”", record))
    for fact in view.incoming(key, "ORIGINOU_SUMULA")[:2]:
        lines.append(_cited(citer, f"A {name} originou-se do {view.name(fact.source)}", fact.source_key))
    applied = [
        f for f in view.facts if f.target == key and f.type in ("REFERENCIA", "APLICA") and f.source_key
    ]
    if applied:
        lines.append(_list_line("É aplicada ou citada em", _listing(view, citer, applied, "source")))
    return lines


def ministro_card(view: GraphView, key: str, citer: Citer) -> list[str]:
    """Processes a minister reported (leading cases of temas first)."""
    name = view.name(key)
    reported = view.outgoing(key, "RELATOR_DE")
    lines: list[str] = []
    leading = [(fact, lc) for fact in reported for lc in view.outgoing(fact.target, "LEADING_CASE_DE")[:1]]
    if leading:
        items = [
            f"{view.name(lc.target)} (leading case {view.name(fact.target)})"
            f"{citer.marker([fact.source_key, lc.source_key])}"
            for fact, lc in leading[:LIST_LIMIT]
        ]
        lines.append(sentence(f"{name} foi relator(a) dos leading cases de: {join_list(items)}"))
    rest = [f for f in reported if f.target not in {lc.source for _, lc in leading}]
    if rest:
        lines.append(
            _list_line(f"{name} é relator(a), entre outros, de", _listing(view, citer, rest, "target"))
        )
    return lines


def judged_card(view: GraphView, key: str, citer: Citer) -> list[str]:
    """What an órgão julgador judged: temas first, then processes."""
    judged = view.incoming(key, "JULGADO_POR")
    temas = [f for f in judged if view.type_of(f.source) == "TEMA"]
    others = [f for f in judged if view.type_of(f.source) != "TEMA"]
    name = view.name(key)
    lines = []
    if temas:
        lines.append(_list_line(f"Temas julgados {orgao_by(name)}", _listing(view, citer, temas, "source")))
    if others:
        lines.append(
            _list_line(f"Processos julgados {orgao_by(name)}", _listing(view, citer, others, "source"))
        )
    return lines


def subject_card(view: GraphView, key: str, citer: Citer) -> list[str]:
    """Temas that deal with a subject or legal concept (with their theses), then processes."""
    about = view.incoming(key, "TRATA_DE")
    temas = [f for f in about if view.type_of(f.source) == "TEMA"]
    others = [f for f in about if view.type_of(f.source) != "TEMA"]
    name = view.name(key)
    lines = []
    if temas:
        lines.append(f"Temas sobre {name}:")
        for fact in temas[:LIST_LIMIT]:
            thesis = _thesis(view, fact.source)
            text = f"- {view.name(fact.source)}" + (f": “{clip(thesis, SHORT_THESIS)}”" if thesis else "")
            lines.append(_cited(citer, text, fact.source_key, view.records.get(fact.source)))
    if others:
        lines.append(_list_line(f"Processos sobre {name}", _listing(view, citer, others, "source")))
    return lines


def generic_card(view: GraphView, key: str, citer: Citer) -> list[str]:
    """The best few facts of any other entity, as plain sentences."""
    facts = [f for f in view.facts if key in (f.source, f.target) and f.source_key][:4]
    return [
        _cited(
            citer,
            f"{view.name(f.source)} {VERBS.get(f.type, f.type.lower())} {view.name(f.target)}",
            f.source_key,
        )
        for f in facts
    ]


CARDS: dict[str, Card] = {
    "TEMA": tema_card,
    "PROCESSO": processo_card,
    "LEGISLACAO": legislacao_card,
    "SUMULA": sumula_card,
    "MINISTRO": ministro_card,
    "ORGAO_JULGADOR": judged_card,
    "ASSUNTO": subject_card,
    "CONCEITO_JURIDICO": subject_card,
}


def entity_lines(view: GraphView, key: str, citer: Citer) -> list[str]:
    """The statements about ``key`` for its type (generic facts when the card says nothing)."""
    if key not in view.nodes:
        return []
    card = CARDS.get(view.type_of(key), generic_card)
    lines = [line for line in card(view, key, citer) if line]
    return lines or [line for line in generic_card(view, key, citer) if line]

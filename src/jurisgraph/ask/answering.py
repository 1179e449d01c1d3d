"""The answer of a gathered question: extractive (no LLM, or as the fallback) or generated from
the numbered context (whole or streamed), with its numbered citations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from jurisgraph.ask import graph_mode
from jurisgraph.ask.gathering import Gathered
from jurisgraph.engine.llm import ChatModel, ChatRequest
from jurisgraph.engine.query import (
    NOTHING,
    Citation,
    Citer,
    GraphView,
    Mode,
    Source,
    SourceKind,
    Supporting,
    best_sentences,
    compose,
    pinpoint,
    render_context,
    report_source,
    select_sources,
    supporting_lines,
)
from jurisgraph.engine.query.generate import (
    answer_request,
    complete_text,
    map_reports,
    reduce_request,
    stream_text,
)
from jurisgraph.engine.query.global_ import map_calls
from jurisgraph.engine.query.wording import VERBS
from jurisgraph.engine.text import clip

CONTEXT_FACTS = 40
FALLBACK_PASSAGES = 3
FALLBACK_CHARS = 400


@dataclass
class Answered:
    """An answer and the numbered sources it may cite."""

    text: str
    kind: str
    note: str | None
    citations: list[Citation]
    map_calls: int = 0
    details: dict[str, object] = field(default_factory=dict)


@dataclass
class Plan:
    """The LLM request of a question and the numbered context it refers to."""

    request: ChatRequest
    citations: list[Citation]
    map_calls: int = 0


def _pool(gathered: Gathered) -> list[Source]:
    """Candidate sources in citation priority: graph records, entity passages, passages, reports."""
    sources: list[Source] = []
    if gathered.local is not None:
        sources += gathered.local.fact_sources + gathered.local.entity_sources
    sources += gathered.passages
    sources += [report_source(r) for r in gathered.reports]
    return sources


def _view(gathered: Gathered) -> GraphView:
    return gathered.local.view if gathered.local is not None else GraphView()


def _supporting(gathered: Gathered, citer: Citer, cited_documents: set[str], limit: int) -> list[Supporting]:
    sources = [
        s for s in _pool(gathered) if s.kind == SourceKind.PASSAGE and s.document_key not in cited_documents
    ]
    texts = [(s.key, s.text) for s in sources]
    titles = sorted({s.title for s in sources})
    chosen = []
    groups = {s.key: s.document_key for s in sources}
    for item in best_sentences(gathered.question, texts, limit=limit, skip_prefixes=titles, groups=groups):
        source = citer.source(item.source_key)
        if source is None:
            continue
        narrow = pinpoint(source, item)
        citer.add(narrow)
        chosen.append(Supporting(narrow.key, item.text, item.start, item.end, item.score))
    return chosen


def from_graph(gathered: Gathered) -> Answered | None:
    """The exact answer of a graph query (graph mode), or None in the other modes."""
    if gathered.graph is None:
        return None
    return Answered(
        gathered.graph.sentence,
        "graph",
        graph_mode.note(gathered.graph),
        graph_mode.citations(gathered.graph),
    )


def extractive(gathered: Gathered, note: str) -> Answered:
    """Graph facts of the linked entities (local, hybrid), the community panorama (global,
    hybrid), then the best supporting sentences of passages from documents not cited yet.
    In graph mode: the graph query's sentence and records."""
    graph = from_graph(gathered)
    if graph is not None:
        return graph
    citer = Citer(_pool(gathered))
    quoted = quoted_lines(gathered, citer)
    mode = gathered.mode
    if mode not in (Mode.LOCAL, Mode.HYBRID):
        quoted += named_lines(gathered, citer)
    linked = gathered.linked if mode in (Mode.LOCAL, Mode.HYBRID) else []
    reports = gathered.reports if mode in (Mode.GLOBAL, Mode.HYBRID) else []
    text = compose(gathered.question, linked, _view(gathered), citer, reports=reports)
    body = "\n".join(quoted)
    if text != NOTHING:
        body = (body + "\n\n" if body else "") + text
    cited = {c.source.document_key for c in citer.citations()}
    limit = 5 if not body else 3
    lines = supporting_lines(_supporting(gathered, citer, cited, limit), citer)
    if lines:
        body = (body + "\n\n" if body else "") + "\n".join(lines)
    details: dict[str, object] = {}
    if not body and gathered.passages:
        body = "\n".join(passage_lines(gathered.passages[:FALLBACK_PASSAGES], citer))
        details["selection_fallback"] = f"nenhuma frase selecionada: {FALLBACK_PASSAGES} melhores trechos"
    return Answered(body or NOTHING, "extractive", note, citer.citations(), details=details)


def named_lines(gathered: Gathered, citer: Citer) -> list[str]:
    """The records the question names ("Tema 1.076", "REsp 1.850.512/SP") among the retrieved
    passages, each with its sentence closest to the question, cited before other passages (the
    modes that do not state the graph facts of the linked entities would otherwise drop them for
    sentences of other records that share more words with the question)."""
    quoted = set(gathered.quoted_documents)
    lines = []
    for entity in gathered.linked:
        if not entity.strong or entity.key in quoted:
            continue
        passages = [p for p in gathered.passages if p.document_key == entity.key]
        if not passages:
            continue
        quoted.add(entity.key)
        texts = [(p.key, p.text) for p in passages]
        best = best_sentences(gathered.question, texts, limit=1, skip_prefixes=[passages[0].title])
        source = citer.source(best[0].source_key) if best else None
        if best and source is not None:
            narrow = pinpoint(source, best[0])
            citer.add(narrow)
            lines.append(f"- {source.title}: “{best[0].text}”{citer.marker([narrow.key])}")
        else:
            marker = citer.marker([passages[0].key])
            if marker:
                lines.append(f"- {passages[0].title}: “{clip(passages[0].text, FALLBACK_CHARS)}”{marker}")
    return ["Registro nomeado na pergunta:", *lines] if lines else []


def quoted_lines(gathered: Gathered, citer: Citer) -> list[str]:
    """The records holding the question's quoted passage, cited first (one passage each)."""
    lines = []
    for document in gathered.quoted_documents[:FALLBACK_PASSAGES]:
        passage = next((p for p in gathered.passages if p.document_key == document), None)
        if passage is None:
            continue
        marker = citer.marker([passage.key])
        if marker:
            lines.append(f"- {passage.title}: “{clip(passage.text, FALLBACK_CHARS)}”{marker}")
    return ["Registro com o trecho citado:", *lines] if lines else []


def passage_lines(passages: list[Source], citer: Citer) -> list[str]:
    """The best retrieved passages themselves, each cited (when no sentence was selected)."""
    lines = []
    for passage in passages:
        if passage.key not in citer:
            citer.add(passage)
        marker = citer.marker([passage.key])
        if marker:
            lines.append(f"- {passage.title}: “{clip(passage.text, FALLBACK_CHARS)}”{marker}")
    return ["Trechos mais próximos da pergunta:", *lines] if lines else []


def _fact_lines(gathered: Gathered, citer: Citer) -> list[str]:
    view = _view(gathered)
    lines = []
    for entity in gathered.linked:
        node = view.nodes.get(entity.key)
        record = view.records.get(entity.key)
        if node is not None and node.description and record in citer:
            lines.append(f"{node.name} ({node.type}): {clip(node.description, 500)}{citer.marker([record])}")
    for fact in view.facts:
        if fact.source_key in citer and len(lines) < CONTEXT_FACTS:
            verb = VERBS.get(fact.type, fact.type.lower())
            lines.append(
                f"{view.name(fact.source)} {verb} {view.name(fact.target)}{citer.marker([fact.source_key])}"
            )
    return lines


def plan(gathered: Gathered, chat: ChatModel) -> Plan:
    """The request of the answer; for an explicit global question the map step runs here
    (one call per batch of reports) and the request is the reduce step."""
    budget = gathered.options.budget_chars
    if gathered.mode == Mode.GLOBAL and gathered.requested == Mode.GLOBAL and gathered.reports:
        selected = select_sources([report_source(r) for r in gathered.reports] + gathered.passages, budget)
        citer = Citer(selected)
        citer.number_all()
        citations = citer.citations()
        numbered = [
            (c.n, f"{c.source.title}\n{c.source.text}")
            for c in citations
            if c.source.kind == SourceKind.COMMUNITY
        ]
        points = map_reports(chat, gathered.question, numbered, gathered.options.batch_size, gathered.calls)
        request = reduce_request(gathered.question, points, render_context(citations))
        return Plan(request, citations, map_calls(len(numbered), gathered.options.batch_size))
    citer = Citer(select_sources(_pool(gathered), budget))
    citer.number_all()
    facts = _fact_lines(gathered, citer)
    context = render_context(citer.citations(), facts)
    return Plan(answer_request(gathered.question, context), citer.citations())


def generated(gathered: Gathered, chat: ChatModel) -> Answered:
    """The generated answer (one call, after the map calls of a global question)."""
    planned = plan(gathered, chat)
    text = complete_text(chat, planned.request, gathered.calls)
    return Answered(text, "generative", generated_note(chat), planned.citations, planned.map_calls)


def streamed(gathered: Gathered, chat: ChatModel, planned: Plan) -> Iterator[str]:
    """The deltas of the generated answer of ``planned``."""
    yield from stream_text(chat, planned.request, gathered.calls)


def generated_note(chat: ChatModel) -> str:
    """The visible note of a generated answer."""
    return f"Resposta gerada por LLM ({chat.provider}); confira as fontes citadas."

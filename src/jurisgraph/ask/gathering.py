"""The context of a question, gathered before answering: linked entities, the mode, passages, the
graph around the entities and the community reports, each step timed and counted for the audit
trail. Everything is read in the caller's session."""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import structlog

from jurisgraph.ask import graph_context, graph_mode, quotes
from jurisgraph.ask import repository as repo
from jurisgraph.ask.sources import from_passage
from jurisgraph.db import Session
from jurisgraph.engine.llm import ChatModel
from jurisgraph.engine.query import (
    CallLog,
    LinkedEntity,
    Mode,
    NameIndex,
    Report,
    ReportIndex,
    Source,
    choose_mode,
    link,
)
from jurisgraph.engine.query.generate import classify_mode
from jurisgraph.engine.query.linking import NAMED_TYPES
from jurisgraph.engine.query.rerank import LlmReranker
from jurisgraph.errors import (
    BudgetExhausted,
    DimensionMismatch,
    InvalidInput,
    ServiceUnavailable,
    UpstreamError,
)
from jurisgraph.graph.query_service import GraphAnswer
from jurisgraph.runtime import NameIndexCache, ReportIndexCache, Retrieval
from jurisgraph.search import service as search
from jurisgraph.search.service import SearchFilters

log = structlog.get_logger(__name__)
MAX_QUESTION = 2000
#: community reports read per workspace, best ranked first (a bound on memory, not a cut in practice)
MAX_REPORT_CANDIDATES = 20000
GLOBAL_PASSAGES = 4


@dataclass(frozen=True)
class AskOptions:
    """How to answer: mode, filters, passages to retrieve, context budget, global settings, and
    whether to rerank passages with the chat model (edges pass ``JURISGRAPH_LLM_RERANK`` here)."""

    mode: str = "auto"
    filters: SearchFilters = field(default_factory=SearchFilters)
    k: int = 8
    budget_chars: int = 12000
    reports: int = 8
    batch_size: int = 4
    rerank: bool = False


@dataclass
class Gathered:
    """The material of one question, before the answer."""

    question: str
    requested: Mode
    mode: Mode
    linked: list[LinkedEntity]
    workspaces: list[int]
    options: AskOptions
    started: float
    calls: CallLog
    steps: list[dict[str, Any]] = field(default_factory=list)
    passages: list[Source] = field(default_factory=list)
    local: graph_context.LocalContext | None = None
    reports: list[Report] = field(default_factory=list)
    report_candidates: int = 0
    graph: GraphAnswer | None = None
    quoted_documents: list[str] = field(default_factory=list)

    def step(self, name: str, since: float, **details: Any) -> None:
        """Record a step of the reasoning chain."""
        self.steps.append({"step": name, **details, "ms": round((time.perf_counter() - since) * 1000, 1)})


def _name_index(session: Session, names: NameIndexCache, workspaces: Sequence[int]) -> NameIndex:
    """The name index of the readable workspaces: each workspace's own, kept while its nodes do
    not change (so users sharing the public workspace share its index), put together."""

    def build(workspace: int) -> NameIndex:
        return NameIndex(repo.linkable_names(session, [workspace], sorted(NAMED_TYPES)))

    parts = [
        names.get(
            workspace,
            functools.partial(repo.names_stamp, session, [workspace]),
            functools.partial(build, workspace),
        )
        for workspace in dict.fromkeys(workspaces)
    ]
    return NameIndex.union(parts)


def _filters_dict(filters: SearchFilters) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(filters).items() if v}


def _retrieve(
    session: Session, retrieval: Retrieval, gathered: Gathered, k: int, chat: ChatModel | None
) -> None:
    since = time.perf_counter()
    options = gathered.options
    how = "hybrid"
    try:
        found = search.search(
            retrieval, gathered.question, gathered.workspaces, mode="hybrid", k=k, filters=options.filters
        )
    except (UpstreamError, ServiceUnavailable, DimensionMismatch) as exc:
        log.warning("ask_dense_retrieval_failed", error=exc.message)
        how = "sparse"
        try:
            found = search.search(
                retrieval, gathered.question, gathered.workspaces, mode="sparse", k=k, filters=options.filters
            )
        except ServiceUnavailable as again:
            log.warning("ask_retrieval_unavailable", error=again.message)
            how, found = "unavailable", []
    phrase, quoting = quotes.phrase_passages(
        session, retrieval, gathered.question, gathered.workspaces, options.filters
    )
    if quoting is not None:
        first = {p.chunk_id for p in phrase}
        found = phrase + [p for p in found if p.chunk_id not in first]
        gathered.steps.append({"step": "quotation", **quoting})
        gathered.quoted_documents = list(quoting["verified"])
    reranked = False
    if options.rerank and chat is not None and len(found) > 1 and not phrase:
        try:
            order = LlmReranker(chat).order(gathered.question, [p.text for p in found], gathered.calls)
            found, reranked = [found[i] for i in order], True
        except (BudgetExhausted, UpstreamError) as exc:
            log.warning("ask_rerank_skipped", error=exc.message)
    gathered.passages = [from_passage(p) for p in found]
    gathered.step(
        "retrieval",
        since,
        reranked=reranked,
        search_mode=how,
        k=k,
        passages=len(found),
        documents=sorted({p.document_key for p in found}),
        filters=_filters_dict(options.filters),
    )


def _expand(session: Session, gathered: Gathered) -> None:
    since = time.perf_counter()
    local = graph_context.build(session, gathered.workspaces, gathered.linked, gathered.options.filters)
    gathered.local = local
    view = local.view
    gathered.step(
        "graph_expansion",
        since,
        seeds=local.seeds,
        hop1_relations=local.hop1,
        hop2_relations=local.hop2,
        nodes=len(view.nodes),
        facts=len(view.facts),
        facts_with_source=sum(1 for f in view.facts if f.source_key),
        common_neighbours=len(view.common),
        entity_passages=len(local.entity_sources),
    )


def _report_index(
    session: Session, reports: ReportIndexCache | None, workspaces: Sequence[int]
) -> ReportIndex:
    """The community reports of the readable workspaces, tokenised: each workspace's own (at most
    :data:`MAX_REPORT_CANDIDATES`, best ranked), kept while its communities do not change, put
    together."""

    def build(workspace: int) -> ReportIndex:
        rows = repo.report_candidates(session, [workspace], MAX_REPORT_CANDIDATES)
        return ReportIndex([graph_context.to_report(*row) for row in rows])

    parts = []
    for workspace in dict.fromkeys(workspaces):
        if reports is None:
            parts.append(build(workspace))
            continue
        stamp = functools.partial(repo.reports_stamp, session, [workspace])
        parts.append(reports.get(workspace, stamp, functools.partial(build, workspace)))
    return ReportIndex.union(parts)


def _global_reports(session: Session, gathered: Gathered, reports: ReportIndexCache | None) -> None:
    since = time.perf_counter()
    index = _report_index(session, reports, gathered.workspaces)
    gathered.report_candidates = len(index)
    gathered.reports = index.rank(gathered.question, gathered.options.reports)
    gathered.step(
        "communities",
        since,
        candidates=len(index),
        selected=[r.community_id for r in gathered.reports],
        ranking="sobreposição de termos (título, resumo, entidades, achados)",
    )


def gather(
    session: Session,
    retrieval: Retrieval,
    names: NameIndexCache,
    question: str,
    workspaces: Sequence[int],
    options: AskOptions,
    chat: ChatModel | None,
    reports: ReportIndexCache | None = None,
) -> Gathered:
    """Link, choose the mode, retrieve, expand the graph and rank reports as the mode needs
    (``reports`` keeps the tokenised community reports between questions).

    With no readable workspace nothing is found: the answer will say so."""
    question = " ".join(question.split())
    if not question:
        raise InvalidInput("empty question")
    if len(question) > MAX_QUESTION:
        raise InvalidInput(f"question too long ({MAX_QUESTION:,} characters at most)")
    try:
        requested = Mode(options.mode.strip().lower())
    except ValueError as exc:
        raise InvalidInput(
            f"unknown mode {options.mode!r}; use one of {', '.join(m.value for m in Mode)}"
        ) from exc
    started = time.perf_counter()
    since = started
    linked = link(question, _name_index(session, names, workspaces))
    gathered = Gathered(question, requested, requested, linked, list(workspaces), options, started, CallLog())
    gathered.step(
        "linking",
        since,
        count=len(linked),
        entities=[
            {"key": e.key, "name": e.name, "type": e.type, "how": e.how, "score": e.score} for e in linked
        ],
    )
    graph_answer = None
    unmapped: dict[str, Any] = {}
    if requested in (Mode.AUTO, Mode.GRAPH):
        graph_answer, graph_step = graph_mode.attempt(
            session, list(workspaces), question, chat, gathered.calls, explicit=requested == Mode.GRAPH
        )
        if graph_answer is not None:
            gathered.steps.append(graph_step)
        else:
            # the fallback is recorded on the mode step: the chain keeps its shape for other modes
            unmapped = {"graph_query": {k: v for k, v in graph_step.items() if k != "step"}}
    since = time.perf_counter()
    if graph_answer is not None:
        mode, reason, classifier_calls = (
            Mode.GRAPH,
            "pergunta de lista ou contagem: consulta tipada ao grafo",
            0,
        )
    elif requested in (Mode.AUTO, Mode.GRAPH):
        mode, reason = choose_mode(question, linked)
        classifier_calls = 0
        if mode == Mode.NAIVE and chat is not None:
            try:
                guessed, why = classify_mode(chat, question, gathered.calls)
            except (BudgetExhausted, UpstreamError) as exc:
                guessed, why = None, f"classificador indisponível ({exc.code})"
            classifier_calls = gathered.calls.count
            if guessed is not None:
                mode, reason = guessed, why
            else:
                reason = f"{reason}; {why}"
    else:
        mode, reason, classifier_calls = requested, "escolhido na pergunta", 0
    gathered.mode = mode
    gathered.step(
        "mode",
        since,
        requested=str(requested),
        chosen=str(mode),
        reason=reason,
        llm_calls=classifier_calls,
        **unmapped,
    )
    if graph_answer is not None:
        gathered.graph = graph_answer
        return gathered
    _retrieve(session, retrieval, gathered, GLOBAL_PASSAGES if mode == Mode.GLOBAL else options.k, chat)
    if mode in (Mode.LOCAL, Mode.HYBRID):
        _expand(session, gathered)
    if mode in (Mode.GLOBAL, Mode.HYBRID):
        _global_reports(session, gathered, reports)
    elif gathered.local is not None:
        gathered.reports = gathered.local.reports
        gathered.step(
            "communities",
            time.perf_counter(),
            selected=[r.community_id for r in gathered.reports],
            ranking="comunidades das entidades",
        )
    return gathered

"""Evaluation runs: every labelled question of a set through each mode, scored.

Modes: ``naive-dense`` and ``naive-sparse`` (retrieval only, one kind of vector), and the
answering modes of :mod:`jurisgraph.ask` — ``naive`` (hybrid retrieval), ``hybrid``,
``local``, ``global``, ``graph`` and ``auto``. Per mode: recall@k, MRR and nDCG@10 of the
documents retrieved (a retrieval mode) or numbered as sources (an answering mode); answer
correctness against the expected facts; citation precision; the groundedness rate (the
answer's own grounding check); LLM calls and cost per answer, read back from the ledger rows
the run booked under its own job ids; latency p50/p95.

Each question is its own transaction, rolled back: an evaluation leaves no audit rows (the
ledger commits its own rows, which is what the run reads back).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from jurisgraph.ask import service as ask_service
from jurisgraph.ask.service import AskOptions
from jurisgraph.db import SessionFactory
from jurisgraph.errors import InvalidInput, JurisgraphError
from jurisgraph.evaluation import metrics
from jurisgraph.evaluation.sets import EvalItem
from jurisgraph.gateway import Gateway, job_usage
from jurisgraph.runtime import NameIndexCache, ReportIndexCache, Retrieval
from jurisgraph.search import service as search_service
from jurisgraph.search.service import Mode as SearchMode

RETRIEVAL_MODES: dict[str, SearchMode] = {"naive-dense": "dense", "naive-sparse": "sparse"}
ANSWER_MODES: tuple[str, ...] = ("naive", "hybrid", "local", "global", "graph", "auto")
MODES: tuple[str, ...] = (*RETRIEVAL_MODES, *ANSWER_MODES)
NDCG_AT = 10
Progress = Callable[[str, int, int], None]


@dataclass
class Outcome:
    """One question through one mode."""

    id: str
    mode: str
    kind: str
    ranked: list[str]
    recall: float
    rr: float
    ndcg: float
    ms: float
    correctness: float | None = None
    citation_precision: float | None = None
    grounded: bool | None = None
    answer_llm_calls: int = 0
    chosen_mode: str | None = None
    error: str | None = None


@dataclass
class ModeReport:
    """Means of one mode over the questions (answer metrics over the questions they apply to)."""

    mode: str
    questions: int
    recall: float
    mrr: float
    ndcg: float
    correctness: float | None
    citation_precision: float | None
    groundedness: float | None
    llm_calls_per_answer: float
    cost_per_answer_usd: float
    tokens_in: int
    tokens_out: int
    p50_ms: float
    p95_ms: float
    errors: int
    answer_llm_calls: int = 0
    chosen_modes: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, dict[str, float | int | None]] = field(default_factory=dict)


@dataclass
class EvalReport:
    """A run: its settings, the report of each mode and every outcome."""

    run_id: str
    sets: list[str]
    split: str | None
    k: int
    questions: int
    llm: str
    modes: list[ModeReport]
    outcomes: list[Outcome]

    def mode(self, name: str) -> ModeReport:
        """The report of mode ``name``."""
        for report in self.modes:
            if report.mode == name:
                return report
        raise KeyError(name)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "run_id": self.run_id,
            "sets": self.sets,
            "split": self.split,
            "k": self.k,
            "questions": self.questions,
            "llm": self.llm,
            "modes": {m.mode: asdict(m) for m in self.modes},
            "items": [asdict(o) for o in self.outcomes],
        }


@dataclass(frozen=True)
class Clients:
    """What a run reads through: the sessions, the retrieval clients, the caches of names and
    community reports, and the LLM gateway (None: extractive answers)."""

    sessions: SessionFactory
    retrieval: Retrieval
    names: NameIndexCache
    reports: ReportIndexCache | None = None
    gateway: Gateway | None = None


def check_modes(modes: Sequence[str]) -> list[str]:
    """The modes in order, each once; :class:`InvalidInput` for an unknown one."""
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise InvalidInput(f"unknown mode(s) {unknown}; use some of {', '.join(MODES)}")
    return list(dict.fromkeys(modes))


def _scored(item: EvalItem, mode: str, ranked: list[str], ms: float, k: int) -> Outcome:
    documents = metrics.dedupe(ranked)
    return Outcome(
        id=item.id,
        mode=mode,
        kind=item.kind,
        ranked=documents[: max(k, NDCG_AT)],
        recall=metrics.recall_at_k(documents, item.relevant, k),
        rr=metrics.reciprocal_rank(documents, item.relevant, k),
        ndcg=metrics.ndcg_at_k(documents, item.relevant, NDCG_AT),
        ms=round(ms, 2),
    )


def _retrieve(clients: Clients, item: EvalItem, mode: str, workspaces: Sequence[int], k: int) -> Outcome:
    since = time.perf_counter()
    try:
        passages = search_service.search(
            clients.retrieval, item.question, workspaces, mode=RETRIEVAL_MODES[mode], k=k * 3
        )
    except JurisgraphError as exc:
        outcome = _scored(item, mode, [], (time.perf_counter() - since) * 1000, k)
        outcome.error = exc.message
        return outcome
    return _scored(item, mode, [p.document_key for p in passages], (time.perf_counter() - since) * 1000, k)


def _answer(
    clients: Clients, item: EvalItem, mode: str, workspaces: Sequence[int], k: int, job_id: str
) -> Outcome:
    chat = ask_service.configured_chat(
        clients.gateway, workspace_id=workspaces[0] if workspaces else None, job_id=job_id
    )
    options = AskOptions(mode=mode, k=k)
    with clients.sessions() as session:
        since = time.perf_counter()
        try:
            result = ask_service.ask(
                session,
                clients.retrieval,
                clients.names,
                item.question,
                workspaces,
                options,
                chat=chat,
                reports=clients.reports,
            )
        except JurisgraphError as exc:
            outcome = _scored(item, mode, [], (time.perf_counter() - since) * 1000, k)
            outcome.error = exc.message
            return outcome
        finally:
            ms = (time.perf_counter() - since) * 1000
            session.rollback()
    outcome = _scored(item, mode, [c.source.document_key for c in result.sources], ms, k)
    outcome.correctness = metrics.correctness(result.answer, item.facts)
    outcome.citation_precision = metrics.citation_precision(
        [c.source.document_key for c in result.citations], item.relevant
    )
    outcome.grounded = result.grounding.ok
    outcome.answer_llm_calls = result.llm_calls
    outcome.chosen_mode = result.mode
    return outcome


def _summary(mode: str, outcomes: list[Outcome], clients: Clients, job_id: str) -> ModeReport:
    n = len(outcomes)
    usage = job_usage(clients.sessions, [job_id]) if mode in ANSWER_MODES else None
    calls = (usage.calls + usage.cached + usage.failed) if usage else 0
    chosen: dict[str, int] = {}
    for o in outcomes:
        if o.chosen_mode:
            chosen[o.chosen_mode] = chosen.get(o.chosen_mode, 0) + 1
    by_kind: dict[str, dict[str, float | int | None]] = {}
    for kind in sorted({o.kind for o in outcomes}):
        group = [o for o in outcomes if o.kind == kind]
        by_kind[kind] = {
            "n": len(group),
            "recall": sum(o.recall for o in group) / len(group),
            "mrr": sum(o.rr for o in group) / len(group),
            "correctness": metrics.mean(o.correctness for o in group),
        }
    latencies = [o.ms for o in outcomes]
    answered = mode in ANSWER_MODES
    return ModeReport(
        mode=mode,
        questions=n,
        recall=sum(o.recall for o in outcomes) / n if n else 0.0,
        mrr=sum(o.rr for o in outcomes) / n if n else 0.0,
        ndcg=sum(o.ndcg for o in outcomes) / n if n else 0.0,
        correctness=metrics.mean(o.correctness for o in outcomes) if answered else None,
        citation_precision=metrics.mean(o.citation_precision for o in outcomes) if answered else None,
        groundedness=(
            metrics.mean(1.0 if o.grounded else 0.0 for o in outcomes if o.grounded is not None)
            if answered
            else None
        ),
        llm_calls_per_answer=calls / n if n else 0.0,
        cost_per_answer_usd=(usage.cost_usd / n if usage and n else 0.0),
        tokens_in=usage.tokens_in if usage else 0,
        tokens_out=usage.tokens_out if usage else 0,
        p50_ms=round(metrics.percentile(latencies, 50), 2),
        p95_ms=round(metrics.percentile(latencies, 95), 2),
        errors=sum(1 for o in outcomes if o.error),
        answer_llm_calls=sum(o.answer_llm_calls for o in outcomes),
        chosen_modes=chosen,
        by_kind=by_kind,
    )


def run(
    clients: Clients,
    items: Sequence[EvalItem],
    workspaces: Sequence[int],
    *,
    modes: Sequence[str] = MODES,
    k: int = 10,
    split: str | None = None,
    sets: Sequence[str] = (),
    progress: Progress | None = None,
) -> EvalReport:
    """Every item through every mode in ``modes``; ``progress(mode, done, total)`` after each."""
    chosen = check_modes(modes)
    if k < 1:
        raise InvalidInput("k must be at least 1")
    run_id = uuid.uuid4().hex[:12]
    reports: list[ModeReport] = []
    outcomes: list[Outcome] = []
    for mode in chosen:
        job_id = f"eval-{run_id}-{mode}"
        done: list[Outcome] = []
        for index, item in enumerate(items, start=1):
            if mode in RETRIEVAL_MODES:
                done.append(_retrieve(clients, item, mode, workspaces, k))
            else:
                done.append(_answer(clients, item, mode, workspaces, k, job_id))
            if progress is not None:
                progress(mode, index, len(items))
        reports.append(_summary(mode, done, clients, job_id))
        outcomes.extend(done)
    return EvalReport(
        run_id=run_id,
        sets=list(sets),
        split=split,
        k=k,
        questions=len(items),
        llm=clients.gateway.provider if clients.gateway is not None else "none",
        modes=reports,
        outcomes=outcomes,
    )

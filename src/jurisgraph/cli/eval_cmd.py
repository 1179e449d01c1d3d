"""`jurisgraph eval run`: retrieval and answer quality per mode on labelled sets."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jurisgraph.cli.common import console, container_scope, err_console
from jurisgraph.db import session_scope
from jurisgraph.errors import InvalidInput
from jurisgraph.evaluation import service
from jurisgraph.evaluation.service import EvalReport
from jurisgraph.evaluation.sets import EvalItem, load_set
from jurisgraph.workspaces.service import readable_workspaces

app = typer.Typer(help="Evaluation on labelled question sets.", no_args_is_help=True)

COLUMNS = (
    ("mode", "mode"),
    ("n", "questions"),
    ("recall@k", "recall"),
    ("MRR", "mrr"),
    ("nDCG@10", "ndcg"),
    ("correct", "correctness"),
    ("cit. prec.", "citation_precision"),
    ("grounded", "groundedness"),
    ("LLM calls/ans", "llm_calls_per_answer"),
    ("USD/ans", "cost_per_answer_usd"),
    ("p50 ms", "p50_ms"),
    ("p95 ms", "p95_ms"),
    ("errors", "errors"),
)


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 100 else f"{value:.0f}"
    return str(value)


def table(report: EvalReport, title: str | None = None) -> Table:
    """The modes × metrics table of a report."""
    grid = Table(*(name for name, _ in COLUMNS), title=title)
    for mode in report.modes:
        grid.add_row(*(_cell(getattr(mode, attr)) for _, attr in COLUMNS))
    return grid


def read_sets(paths: list[Path], split: str | None, limit: int | None) -> list[EvalItem]:
    """The items of every set (of ``split``), ``limit`` per set; ids unique across sets."""
    items: list[EvalItem] = []
    for path in paths:
        items.extend(load_set(path, split=split, limit=limit))
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise InvalidInput("the sets share question ids")
    return items


@app.command("run")
def run(
    sets: list[Path] = typer.Argument(
        ..., help="Set files (JSONL), one or more.", exists=True, dir_okay=False
    ),
    mode: list[str] = typer.Option(
        list(service.MODES),
        "--mode",
        help=f"Modes to evaluate (repeat the option): {', '.join(service.MODES)}.",
    ),
    split: str | None = typer.Option(None, help="Only this split (dev, heldout)."),
    limit: int | None = typer.Option(None, min=1, help="At most this many questions per set."),
    k: int = typer.Option(10, min=1, max=50, help="Cut-off of recall@k and MRR; passages to retrieve."),
    out: Path | None = typer.Option(None, "--out", help="Write the JSON report here.", dir_okay=False),
) -> None:
    """Score each mode: recall@k, MRR, nDCG@10, answer correctness, citation precision,
    groundedness, LLM calls and cost per answer, latency p50/p95."""
    try:
        items = read_sets(sets, split, limit)
        modes = service.check_modes(mode)
    except InvalidInput as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}")
        raise typer.Exit(2) from exc
    if not items:
        err_console.print("[bold red]error:[/] no question in the chosen sets and split")
        raise typer.Exit(2)
    with container_scope() as container:
        with session_scope(container.sessions) as session:
            workspaces = readable_workspaces(session)
        clients = service.Clients(
            sessions=container.sessions,
            retrieval=container.retrieval(),
            names=container.name_indexes,
            reports=container.report_indexes,
            gateway=container.configured_gateway(),
        )
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err_console, transient=True) as bar:
            tasks = {m: bar.add_task(m, total=len(items)) for m in modes}

            def advance(current: str, done: int, total: int) -> None:
                bar.update(tasks[current], completed=done)

            report = service.run(
                clients,
                items,
                workspaces,
                modes=modes,
                k=k,
                split=split,
                sets=[str(p) for p in sets],
                progress=advance,
            )
    names = ", ".join(p.name for p in sets)
    console.print(
        table(
            report, f"{report.questions} questions ({names}; split {split or 'all'}; k={k}; LLM {report.llm})"
        )
    )
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(f"report written to {out}")

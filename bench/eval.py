"""Every evaluation set in full through every mode: one table (modes × metrics) per split.

Usage: JURISGRAPH_HOME=<a home where `jurisgraph ingest --sample` ran, dense vectors included>
       OMP_NUM_THREADS=1 python bench/eval.py [--split heldout] [--mode local ...] [--out report.json]
(on a machine shared with other jobs, cap the embedder's threads or dense latencies blow up).

The sets are bench/data/eval/*.jsonl (scripts/build_eval_sets.py builds them from the bundled
sample). Without an LLM configured the answers are extractive (LLM calls and cost 0). Prints,
per mode: recall@10, MRR, nDCG@10, answer correctness, citation precision, groundedness,
LLM calls and cost per answer, latency p50/p95 and errors; then per set and per kind of
question the recall and correctness of each mode.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import summary
from rich.console import Console
from rich.table import Table

from jurisgraph.cli.eval_cmd import table
from jurisgraph.config import load_settings
from jurisgraph.db import session_scope
from jurisgraph.evaluation import service
from jurisgraph.evaluation.sets import EvalItem, load_set
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import readable_workspaces

SETS = Path(__file__).resolve().parent / "data" / "eval"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", default=None, help="dev or heldout (default: every question)")
    parser.add_argument("--mode", action="append", default=None, help="a mode (repeat); default all")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--out", type=Path, default=None, help="write the JSON report here")
    summary.add_option(parser)
    args = parser.parse_args()
    paths = sorted(SETS.glob("*.jsonl"))
    items: list[EvalItem] = []
    origin: dict[str, str] = {}
    for path in paths:
        for item in load_set(path, split=args.split):
            items.append(item)
            origin[item.id] = path.stem
    console = Console()
    container = Container.build(load_settings())
    try:
        with session_scope(container.sessions) as session:
            workspaces = readable_workspaces(session)
        clients = service.Clients(
            container.sessions,
            container.retrieval(),
            container.name_indexes,
            container.report_indexes,
            container.configured_gateway(),
        )

        def tick(mode: str, done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                console.print(f"[dim]{mode}: {done}/{total}[/]")

        report = service.run(
            clients,
            items,
            workspaces,
            modes=args.mode or service.MODES,
            k=args.k,
            split=args.split,
            sets=[str(p) for p in paths],
            progress=tick,
        )
    finally:
        container.close()
    names = ", ".join(p.stem for p in paths)
    console.print(
        table(report, f"{len(items)} questions ({names}); split {args.split or 'all'}; LLM {report.llm}")
    )
    kinds = sorted({(origin[o.id], o.kind) for o in report.outcomes})
    detail = Table(
        "set", "kind", "n", *(m.mode for m in report.modes), title="recall@k / correctness per kind"
    )
    for set_name, kind in kinds:
        cells = []
        count = 0
        for mode in report.modes:
            group = [
                o
                for o in report.outcomes
                if o.mode == mode.mode and o.kind == kind and origin[o.id] == set_name
            ]
            count = len(group)
            recall = sum(o.recall for o in group) / len(group)
            facts = [o.correctness for o in group if o.correctness is not None]
            cells.append(f"{recall:.2f}" + (f" / {sum(facts) / len(facts):.2f}" if facts else ""))
        detail.add_row(set_name, kind, str(count), *cells)
    console.print(detail)
    if args.out:
        args.out.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(f"report written to {args.out}")
    keys = ("recall", "mrr", "ndcg", "correctness", "citation_precision", "groundedness")
    figures: dict[str, float | None] = {"questions": report.questions}
    figures["errors"] = sum(m.errors for m in report.modes)
    for m in report.modes:
        figures |= {f"{m.mode}.{key}": getattr(m, key) for key in (*keys, "p50_ms", "p95_ms", "errors")}
        figures[f"{m.mode}.llm_calls_per_answer"] = m.llm_calls_per_answer
    summary.write(args.summary, figures)


if __name__ == "__main__":
    main()

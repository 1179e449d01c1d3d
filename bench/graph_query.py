"""Quality and latency of the graph query mode on the labelled structured questions.

Usage: python bench/graph_query.py [--home /tmp/graphq-home] [--split heldout] [--repeat 3]

Builds (once) the bench corpus of bench/graph_corpus.py: the full precedentes qualificados
plus the seven real espelhos. Prints, per pattern, exact match (counts, values) and
precision / recall / F1 (lists) on the chosen split, the questions that missed, and latency
percentiles of parse + query over every question of the set (targets: EM and F1 >= 0.9
held-out; p95 < 200 ms).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from graph_corpus import DEFAULT_DATA, build
from summary import add_option as add_summary_option
from summary import write as write_summary

from jurisgraph.db import session_scope
from jurisgraph.graph.query_evaluation import answer, load_questions, score, summarize
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import readable_workspaces

QUESTIONS = Path(__file__).resolve().parent / "data" / "graph_questions.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, default=Path("/tmp/graphq-home"))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--split", default="heldout", help="dev, heldout or all")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the whole set")
    add_summary_option(parser)
    args = parser.parse_args()
    settings = build(args.home, args.data)
    container = Container.build(settings)
    items = load_questions(args.questions, None if args.split == "all" else args.split)
    every = load_questions(args.questions)
    try:
        with session_scope(container.sessions) as session:
            workspaces = readable_workspaces(session)
            scored = []
            for item in items:
                mapped, got, ms = answer(session, workspaces, item["question"])
                scored.append(score(item, got, mapped, ms))
            timings = []
            for _ in range(args.repeat):
                for item in every:
                    started = time.perf_counter()
                    answer(session, workspaces, item["question"])
                    timings.append((time.perf_counter() - started) * 1000)
    finally:
        container.close()
    summary = summarize(scored)
    print(f"{len(items)} questions ({args.split}), corpus {args.home}")
    print(f"{'pattern':<24} {'n':>3} {'EM':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for pattern, row in summary.rows.items():
        if "em" in row:
            print(f"{pattern:<24} {int(row['n']):>3} {row['em']:>6.3f}")
        else:
            print(
                f"{pattern:<24} {int(row['n']):>3} {'':>6} "
                f"{row['p']:>6.3f} {row['r']:>6.3f} {row['f1']:>6.3f}"
            )
    print(f"counts/values exact match: {summary.exact:.3f} (target >= 0.9)")
    print(
        f"lists P / R / F1: {summary.precision:.3f} / {summary.recall:.3f} / {summary.f1:.3f} "
        "(target F1 >= 0.9)"
    )
    misses = [s for s in scored if (s.exact < 1 if s.kind in ("count", "value") else s.f1 < 1)]
    for s in misses:
        item = next(i for i in items if i["id"] == s.id)
        print(
            f"  miss {s.id}: {item['question']!r} expected {item['expected']!r} "
            f"got {s.got!r} (mapped={s.mapped})"
        )
    figures = {
        "exact_match": summary.exact,
        "list_precision": summary.precision,
        "list_recall": summary.recall,
    }
    figures |= {"list_f1": summary.f1, "questions": len(items)}
    if not timings:
        write_summary(args.summary, figures)
        return
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"latency over {len(timings)} runs: median {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (target p95 < 200 ms; ratio {p95 / 200:.2f} of budget)"
    )
    write_summary(args.summary, figures | {"p50_ms": statistics.median(timings), "p95_ms": p95})


if __name__ == "__main__":
    main()

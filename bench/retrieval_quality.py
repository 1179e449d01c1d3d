"""Retrieval quality of hybrid vs dense-only vs sparse-only on the labelled query set.

Usage: JURISGRAPH_HOME=<an ingested and embedded home> python bench/retrieval_quality.py [--k 10]
(``jurisgraph ingest --sample`` builds one). Prints recall@k and MRR per mode and per query kind.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import summary

from jurisgraph.config import load_settings
from jurisgraph.db import session_scope
from jurisgraph.runtime import Container
from jurisgraph.search.evaluation import evaluate, load_queries
from jurisgraph.workspaces.service import readable_workspaces

QUERIES = Path(__file__).resolve().parent / "data" / "retrieval_queries.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    summary.add_option(parser)
    args = parser.parse_args()
    container = Container.build(load_settings())
    try:
        with session_scope(container.sessions) as session:
            workspaces = readable_workspaces(session)
        queries = load_queries(args.queries)
        scores = evaluate(container.retrieval(), workspaces, queries, k=args.k)
    finally:
        container.close()
    print(f"{len(queries)} labelled queries, document-level, k={args.k}")
    print(f"{'mode':<8} {'recall@k':>9} {'MRR':>7}   per kind (recall / MRR)")
    for s in scores:
        kinds = "  ".join(
            f"{kind}: {hits / n:.3f} / {rr / n:.3f}" for kind, (n, hits, rr) in sorted(s.by_kind.items())
        )
        print(f"{s.mode:<8} {s.recall:>9.3f} {s.mrr:>7.3f}   {kinds}")
    best = {s.mode: s for s in scores}
    if "hybrid" in best:
        for other in ("dense", "sparse"):
            if other in best and best[other].mrr:
                print(f"hybrid / {other} MRR ratio: {best['hybrid'].mrr / best[other].mrr:.2f}")
    figures = {f"{s.mode}.recall": s.recall for s in scores} | {f"{s.mode}.mrr": s.mrr for s in scores}
    summary.write(args.summary, figures)


if __name__ == "__main__":
    main()

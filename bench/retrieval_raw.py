"""Hybrid query latency: raw qdrant-edge shard versus the ``EdgeVectorIndex`` adapter.

Synthetic corpus: 384-d random unit vectors and sparse vectors of 24 terms drawn from a
Zipf-like vocabulary of 60,000 ids. The adapter writes the corpus; the same shard folder is then
queried raw (``EdgeShard.query`` with dense + sparse prefetch and RRF) and through the adapter
(``search_hybrid``), with the same query vectors, limit 10 and payloads returned. Prints p50/p95
per size and the adapter/raw ratio; raw and adapter rounds alternate (3 each).

    .venv/bin/python bench/retrieval_raw.py --sizes 10000 100000 --queries 300 [--optimize]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import qdrant_edge as qe
import summary
from synthetic import DIM, p50_p95, sparse, time_calls, unit_rows

from jurisgraph.engine.vectors import CHUNK_KIND, CollectionSpec, SparseVector, VectorPoint
from jurisgraph.integrations.qdrant.edge import EdgeVectorIndex
from jurisgraph.integrations.qdrant.points import RRF_K, candidates_for

TERMS_PER_DOC = 24
TERMS_PER_QUERY = 4
LIMIT = 10
ROUNDS = 3


def _raw_round(shard_folder: Path, requests: list[qe.QueryRequest]) -> list[float]:
    shard = qe.EdgeShard.load(str(shard_folder))
    try:
        return time_calls(lambda i: shard.query(requests[i]), len(requests))
    finally:
        shard.close()


def _adapter_round(
    folder: Path, spec: CollectionSpec, dense: np.ndarray[Any, Any], sparse: list[SparseVector]
) -> list[float]:
    index = EdgeVectorIndex(folder)
    try:
        return time_calls(
            lambda i: index.search_hybrid(spec, dense=dense[i], sparse=sparse[i], limit=LIMIT), len(sparse)
        )
    finally:
        index.close()


def run(size: int, queries: int, optimize: bool, folder: Path) -> dict[str, float]:
    """Build one corpus of ``size`` points and time both paths; returns the figures in ms."""
    rng = np.random.default_rng(size)
    spec = CollectionSpec(CHUNK_KIND, "bench-random", DIM)
    index = EdgeVectorIndex(folder)
    index.ensure_collection(spec)
    start = time.perf_counter()
    for lo in range(0, size, 5000):
        dense = unit_rows(rng, min(5000, size - lo))
        index.upsert(
            spec,
            (
                VectorPoint(f"p{lo + i}", row, sparse(rng, TERMS_PER_DOC), {"workspace_id": "bench"})
                for i, row in enumerate(dense)
            ),
        )
    upsert_s = time.perf_counter() - start
    optimize_s = 0.0
    if optimize:
        start = time.perf_counter()
        index.optimize(spec)
        optimize_s = time.perf_counter() - start
    index.close()

    q_dense = unit_rows(rng, queries)
    q_sparse = [sparse(rng, TERMS_PER_QUERY) for _ in range(queries)]
    pool = candidates_for(LIMIT, None)

    raw_requests = [
        qe.QueryRequest(
            limit=LIMIT,
            with_payload=True,
            prefetches=[
                qe.Prefetch(limit=pool, query=qe.Query.Nearest(q_dense[i].tolist(), "dense")),
                qe.Prefetch(
                    limit=pool,
                    query=qe.Query.Nearest(
                        qe.SparseVector(list(q_sparse[i].indices), list(q_sparse[i].values)), "sparse"
                    ),
                ),
            ],
            query=qe.Fusion.Rrf(k=RRF_K),  # type: ignore[arg-type]
        )
        for i in range(queries)
    ]
    # Alternate raw and adapter rounds on the same folder so that drift hits both alike.
    raw: list[float] = []
    adapter: list[float] = []
    for _ in range(ROUNDS):
        raw += _raw_round(folder / spec.name, raw_requests)
        adapter += _adapter_round(folder, spec, q_dense, q_sparse)

    raw_p50, raw_p95 = p50_p95(raw)
    ad_p50, ad_p95 = p50_p95(adapter)
    return {
        "upsert_s": upsert_s,
        "optimize_s": optimize_s,
        "raw_p50": raw_p50,
        "raw_p95": raw_p95,
        "adapter_p50": ad_p50,
        "adapter_p95": ad_p95,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--optimize", action="store_true", help="build HNSW before querying")
    summary.add_option(parser)
    args = parser.parse_args()
    header = (
        f"{'points':>8} {'upsert s':>9} {'optim s':>8} {'raw p50':>8} {'raw p95':>8} "
        f"{'adp p50':>8} {'adp p95':>8} {'ratio50':>8} {'ratio95':>8}"
    )
    print(f"hybrid (dense {DIM}-d + sparse, RRF, limit {LIMIT}), {args.queries} queries, ms")
    print(header)
    figures: dict[str, float] = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-edge-") as tmp:
            r = run(size, args.queries, args.optimize, Path(tmp))
        print(
            f"{size:>8} {r['upsert_s']:>9.1f} {r['optimize_s']:>8.1f} "
            f"{r['raw_p50']:>8.2f} {r['raw_p95']:>8.2f} {r['adapter_p50']:>8.2f} {r['adapter_p95']:>8.2f} "
            f"{r['adapter_p50'] / r['raw_p50']:>8.2f} {r['adapter_p95'] / r['raw_p95']:>8.2f}",
            flush=True,
        )
        figures |= {f"{size}.{k}" + ("" if k.endswith("_s") else "_ms"): v for k, v in r.items()}
        figures[f"{size}.ratio_p50"] = r["adapter_p50"] / r["raw_p50"]
        figures[f"{size}.ratio_p95"] = r["adapter_p95"] / r["raw_p95"]
    summary.write(args.summary, figures)


if __name__ == "__main__":
    main()

"""The server adapter over HTTP (Qdrant-protocol test server process) versus the embedded adapter.

Same synthetic corpus as ``retrieval_raw.py`` (384-d unit vectors, 24-term sparse vectors):
written through ``EdgeVectorIndex`` on a folder, and through ``ServerVectorIndex(url=…)`` to
``python -m tests.fakes.qdrant_server`` (its own process, on another folder). Prints upsert
points/s and hybrid query p50/p95 (limit 10, payloads) of both, and the HTTP/embedded ratios:
the cost of the protocol hop that multi-process tests pay.

    .venv/bin/python bench/qdrant_http.py --sizes 10000 --queries 300
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import summary
from synthetic import DIM, p50_p95, sparse, time_calls, unit_rows

from jurisgraph.engine.vectors import CHUNK_KIND, CollectionSpec, VectorIndex, VectorPoint
from jurisgraph.integrations.qdrant.edge import EdgeVectorIndex
from jurisgraph.integrations.qdrant.server import ServerVectorIndex

ROOT = Path(__file__).resolve().parents[1]
TERMS_PER_DOC = 24
TERMS_PER_QUERY = 4
LIMIT = 10
SPEC = CollectionSpec(CHUNK_KIND, "bench-random", DIM)


@contextmanager
def server_process(folder: Path) -> Iterator[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    command = [sys.executable, "-m", "tests.fakes.qdrant_server", "--port", "0", "--path", str(folder)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError("the Qdrant test server did not start")
        yield line.split()[-1]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def _points(size: int) -> list[VectorPoint]:
    rng = np.random.default_rng(size)
    dense = unit_rows(rng, size)
    return [
        VectorPoint(f"p{i}", row, sparse(rng, TERMS_PER_DOC), {"workspace_id": "bench"})
        for i, row in enumerate(dense)
    ]


def measure(index: VectorIndex, points: list[VectorPoint], queries: int) -> dict[str, float]:
    index.ensure_collection(SPEC)
    start = time.perf_counter()
    index.upsert(SPEC, points)
    upsert = len(points) / (time.perf_counter() - start)
    rng = np.random.default_rng(1)
    q_dense = unit_rows(rng, queries)
    q_sparse = [sparse(rng, TERMS_PER_QUERY) for _ in range(queries)]
    hybrid = time_calls(
        lambda i: index.search_hybrid(SPEC, dense=q_dense[i], sparse=q_sparse[i], limit=LIMIT), queries
    )
    dense = time_calls(lambda i: index.search_dense(SPEC, q_dense[i], limit=LIMIT), queries)
    h50, h95 = p50_p95(hybrid)
    d50, d95 = p50_p95(dense)
    return {"upsert": upsert, "h50": h50, "h95": h95, "d50": d50, "d95": d95}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--queries", type=int, default=300)
    summary.add_option(parser)
    args = parser.parse_args()
    print(f"dense {DIM}-d + sparse, limit {LIMIT}, {args.queries} queries; upsert points/s, latency ms")
    columns = ("upsert/s", "hyb p50", "hyb p95", "dense p50", "dense p95")
    print(f"{'points':>7} {'store':>9} " + " ".join(f"{c:>9}" for c in columns))
    figures: dict[str, float] = {}
    for size in args.sizes:
        points = _points(size)
        rows: dict[str, dict[str, float]] = {}
        with tempfile.TemporaryDirectory(prefix="bench-qdrant-") as tmp:
            with EdgeVectorIndex(Path(tmp) / "edge") as edge:
                rows["embedded"] = measure(edge, points, args.queries)
            with server_process(Path(tmp) / "http") as url, ServerVectorIndex(url=url) as http:
                rows["http"] = measure(http, points, args.queries)
        for store, r in rows.items():
            print(
                f"{size:>7} {store:>9} {r['upsert']:>9.0f} {r['h50']:>9.2f} {r['h95']:>9.2f} "
                f"{r['d50']:>9.2f} {r['d95']:>9.2f}"
            )
        e, h = rows["embedded"], rows["http"]
        print(
            f"{size:>7} {'http/emb':>9} {h['upsert'] / e['upsert']:>9.2f} {h['h50'] / e['h50']:>9.2f} "
            f"{h['h95'] / e['h95']:>9.2f} {h['d50'] / e['d50']:>9.2f} {h['d95'] / e['d95']:>9.2f}",
            flush=True,
        )
        names = {"upsert": "upsert_per_s", "h50": "hybrid_p50_ms", "h95": "hybrid_p95_ms"}
        names |= {"d50": "dense_p50_ms", "d95": "dense_p95_ms"}
        for store, r in rows.items():
            figures |= {f"{size}.{store}.{name}": r[key] for key, name in names.items()}
        figures |= {f"{size}.http_embedded.{name}": h[key] / e[key] for key, name in names.items()}
    summary.write(args.summary, figures)


if __name__ == "__main__":
    main()

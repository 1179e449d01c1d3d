"""Hybrid query latency through the retrieval service versus the raw embedded engine.

Builds a synthetic ``chunks`` collection (384-d random unit vectors, Zipf-like sparse terms,
citation payloads like the pipeline's) in a temporary home, then times the same hybrid
queries (a) raw: ``EdgeShard.query`` with dense + sparse prefetch and RRF, (b) service:
``jurisgraph.search.service.search`` (filter building, identifier detection, fusion, payload
→ citation). Query embedding is excluded from both: the service gets precomputed query
vectors. Prints p50/p95 per size and the service/raw ratio (targets: p95 <= 25 ms at 100k,
ratio <= 1.3).

    .venv/bin/python bench/retrieval.py --sizes 10000 100000 --queries 300 [--no-optimize]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import qdrant_edge as qe
import summary
from synthetic import DIM, p50_p95, sparse, time_calls, unit_rows

from jurisgraph.config import Settings
from jurisgraph.engine.embedding import ModelSignature
from jurisgraph.engine.vectors import CHUNK_KIND, CollectionSpec, Filter, SparseVector, VectorPoint
from jurisgraph.integrations.qdrant import edge_codec
from jurisgraph.integrations.qdrant.edge import EdgeVectorIndex
from jurisgraph.integrations.qdrant.points import RRF_K, candidates_for
from jurisgraph.runtime import Container
from jurisgraph.search.service import search

LIMIT = 10
ORGAOS = ["PRIMEIRA TURMA", "SEGUNDA TURMA", "TERCEIRA TURMA", "CORTE ESPECIAL", "PRIMEIRA SEÇÃO"]


class _FixedQueries:
    """Stands in for the embedder and the sparse encoder: returns the precomputed query vectors."""

    def __init__(self, dense: np.ndarray[Any, Any], sparse: list[SparseVector]) -> None:
        self.dense, self.sparse, self.i = dense, sparse, 0
        self.signature = ModelSignature("bench", "synthetic", DIM)
        self.name = "bench"

    def embed_query(self, text: str) -> np.ndarray[Any, Any]:
        return self.dense[int(text.split()[-1])]

    def encode_query(self, text: str) -> SparseVector:
        return self.sparse[int(text.split()[-1])]

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        raise NotImplementedError

    def encode_documents(self, texts: Sequence[str]) -> list[SparseVector]:
        raise NotImplementedError


def run(size: int, queries: int, optimize: bool) -> dict[str, float]:
    rng = np.random.default_rng(size)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings()
        settings.app.home = Path(tmp)
        container = Container.build(settings)
        index = EdgeVectorIndex(Path(tmp) / "qdrant")
        container.provide(vector_index=index)
        spec = CollectionSpec(kind=CHUNK_KIND, model="bench-synthetic", dim=DIM)
        index.ensure_collection(spec)
        index.set_alias(CHUNK_KIND, spec)
        started = time.perf_counter()
        for start in range(0, size, 2000):
            n = min(2000, size - start)
            dense = unit_rows(rng, n)
            index.upsert(
                spec,
                [
                    VectorPoint(
                        id=f"c{start + i}",
                        dense=dense[i],
                        sparse=sparse(rng, 24),
                        payload={
                            "workspace_id": "1",
                            "chunk_id": f"c{start + i}",
                            "document_key": f"doc:{(start + i) // 3}",
                            "title": f"REsp {start + i}",
                            "text": "x" * 800,
                            "orgao_julgador": ORGAOS[i % 5],
                            "date": "2023-05-15",
                            "start": 0,
                            "end": 800,
                            "entities": [],
                            "subjects": [],
                        },
                    )
                    for i in range(n)
                ],
            )
        if optimize:
            index.optimize(spec)
        print(f"{size:>7} points written in {time.perf_counter() - started:.1f} s (optimize={optimize})")
        q_dense = unit_rows(rng, queries)
        q_sparse = [sparse(rng, 4) for _ in range(queries)]
        fixed = _FixedQueries(q_dense, q_sparse)
        container.provide(embedder=fixed, sparse_encoder=fixed)
        shard = index._handles[spec.name].shard  # the raw engine under the adapter
        pool = candidates_for(LIMIT, None)
        same_filter = edge_codec.edge_filter(Filter.where(workspace_id=["1"]))  # what the service sends
        requests = [
            qe.QueryRequest(
                limit=LIMIT,
                with_payload=True,
                query=qe.Fusion.Rrf(k=RRF_K),  # type: ignore[arg-type]
                filter=same_filter,
                prefetches=[
                    qe.Prefetch(
                        limit=pool, query=qe.Query.Nearest(q_dense[i].tolist(), "dense"), filter=same_filter
                    ),
                    qe.Prefetch(
                        limit=pool,
                        filter=same_filter,
                        query=qe.Query.Nearest(
                            qe.SparseVector(list(q_sparse[i].indices), list(q_sparse[i].values)), "sparse"
                        ),
                    ),
                ],
            )
            for i in range(queries)
        ]

        def raw(i: int) -> object:
            return shard.query(requests[i])

        def service(i: int) -> object:
            return search(container.retrieval(), f"consulta {i}", [1], mode="hybrid", k=LIMIT)

        raw_ms, service_ms = [], []
        for _ in range(3):
            raw_ms += time_calls(raw, queries // 3)
            service_ms += time_calls(service, queries // 3)
        r50, r95 = p50_p95(raw_ms)
        s50, s95 = p50_p95(service_ms)
        print(
            f"{size:>7}  raw p50 {r50:6.2f} ms  p95 {r95:6.2f} ms"
            f" | service p50 {s50:6.2f} ms  p95 {s95:6.2f} ms"
            f" | ratio p50 {s50 / r50:.2f}  p95 {s95 / r95:.2f}"
        )
        container.close()
    figures = {"raw_p50_ms": r50, "raw_p95_ms": r95, "service_p50_ms": s50, "service_p95_ms": s95}
    return {f"{size}.{k}": v for k, v in (figures | {"ratio_p50": s50 / r50, "ratio_p95": s95 / r95}).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-optimize", action="store_true", help="query without the HNSW index")
    summary.add_option(parser)
    args = parser.parse_args()
    figures: dict[str, float] = {}
    for size in args.sizes:
        figures |= run(size, args.queries, not args.no_optimize)
    summary.write(args.summary, figures)


if __name__ == "__main__":
    main()

"""Retrieval quality with and without dense vectors for the chunks that ``wants_dense`` leaves out.

Usage: OMP_NUM_THREADS=1 python bench/chunk_dense.py --home <an ingested and embedded home>
       [--work var/chunk-dense] [--k 10] [--embed 256]

The source home is never modified: it is copied twice under ``--work`` (the database brought to
the current schema), ``with-dense`` as it is and ``sparse-only`` where every chunk that
:func:`jurisgraph.engine.dense_chunks.wants_dense` refuses is rewritten with its sparse vector
and payload only (its dense vector deleted). Prints recall@k and MRR of the hybrid, dense and
sparse searches on the labelled retrieval set (``bench/data/retrieval_queries.json``, as
``bench/retrieval_quality.py``) for both copies, and the differences. The answering modes are
measured on the copies with ``JURISGRAPH_HOME=<work>/<copy> python bench/eval.py --split dev``.
With ``--embed N`` (run it without ``OMP_NUM_THREADS``, as an ingestion would) it then embeds N of
the refused chunks' texts with the configured embedder, in its batch size, and prints the seconds
per chunk and the embedding time that leaving them all out saves.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

from sqlalchemy import select

from jurisgraph import migrations
from jurisgraph.config import load_settings
from jurisgraph.db import session_scope
from jurisgraph.engine.dense_chunks import wants_dense
from jurisgraph.engine.vectors import CHUNK_KIND, VectorPoint
from jurisgraph.models import Chunk, Document
from jurisgraph.pipeline.stages.index import chunk_spec, chunk_text_for_embedding
from jurisgraph.runtime import Container
from jurisgraph.search.evaluation import ModeScore, evaluate, load_queries
from jurisgraph.workspaces.service import readable_workspaces

QUERIES = Path(__file__).resolve().parent / "data" / "retrieval_queries.json"
BATCH = 256


def copy_home(source: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    os.environ["JURISGRAPH_HOME"] = str(dest)
    migrations.upgrade(load_settings().database_url)


def refused_chunks(container: Container) -> tuple[list[tuple[str, str]], int]:
    """(chunk id, text the index would embed) of the chunks refused a dense vector, and all chunks."""
    with session_scope(container.sessions) as session:
        rows = session.execute(select(Chunk, Document).join(Document)).all()
        refused = [
            (chunk.id, chunk_text_for_embedding(doc.title, chunk.text))
            for chunk, doc in rows
            if not wants_dense(doc.kind, doc.metadata_)
        ]
    return refused, len(rows)


def strip_dense(container: Container) -> tuple[int, int]:
    """Rewrite the refused chunks' points without a dense vector; returns (refused, all chunks)."""
    pairs, total = refused_chunks(container)
    refused = [chunk_id for chunk_id, _ in pairs]
    index = container.vector_index()
    spec = chunk_spec(container.embedder())
    for start in range(0, len(refused), BATCH):
        points = index.retrieve(CHUNK_KIND, refused[start : start + BATCH], with_vectors=True)
        index.upsert(spec, [VectorPoint(id=p.id, sparse=p.sparse, payload=p.payload) for p in points])
    return len(refused), total


def embedding_cost(n: int) -> None:
    """Time the configured embedder on ``n`` refused texts; print seconds per chunk and the saving."""
    container = Container.build(load_settings())
    try:
        pairs, total = refused_chunks(container)
        texts = [text for _, text in pairs[:n]]
        embedder, batch = container.embedder(), container.settings.embedding.batch_size
        embedder.embed_documents(texts[:2])  # load the model outside the timing
        started = time.perf_counter()
        for start in range(0, len(texts), batch):
            embedder.embed_documents(texts[start : start + batch])
        per_chunk = (time.perf_counter() - started) / len(texts)
    finally:
        container.close()
    chars = sum(len(t) for t in texts) / len(texts)
    print(
        f"embedding {len(texts)} refused chunks (mean {chars:.0f} characters, batch {batch}): "
        f"{per_chunk * 1000:.1f} ms per chunk, {1 / per_chunk:.1f} chunks/s; "
        f"{len(pairs)} of {total} chunks left out save {len(pairs) * per_chunk:.0f} s"
    )


def scores(queries: list[dict[str, object]], k: int, *, strip: bool) -> tuple[list[ModeScore], str]:
    container = Container.build(load_settings())
    note = ""
    try:
        if strip:
            refused, total = strip_dense(container)
            note = f"{refused} of {total} chunks without a dense vector"
        with session_scope(container.sessions) as session:
            workspaces = readable_workspaces(session)
        return evaluate(container.retrieval(), workspaces, queries, k=k), note
    finally:
        container.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("var/chunk-dense"))
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--embed", type=int, default=0, help="time the embedder on N refused chunks")
    args = parser.parse_args()
    queries = load_queries(args.queries)
    results = {}
    for name, strip in (("with-dense", False), ("sparse-only", True)):
        copy_home(args.home, args.work / name)
        results[name], note = scores(queries, args.k, strip=strip)
        print(f"{name}: {args.work / name}" + (f" ({note})" if note else ""), flush=True)
    print(f"{len(queries)} labelled queries, document-level, k={args.k}")
    header = (
        f"{'recall@k with':>13} {'without':>8} {'delta':>7}   {'MRR with':>8} {'without':>8} {'delta':>7}"
    )
    print(f"{'mode':<8} {header}")
    for before, after in zip(results["with-dense"], results["sparse-only"], strict=True):
        recall = f"{before.recall:>13.3f} {after.recall:>8.3f} {after.recall - before.recall:>+7.3f}"
        mrr = f"{before.mrr:>8.3f} {after.mrr:>8.3f} {after.mrr - before.mrr:>+7.3f}"
        print(f"{before.mode:<8} {recall}   {mrr}")
    for before, after in zip(results["with-dense"], results["sparse-only"], strict=True):
        for kind in sorted(before.by_kind):
            (n, hits, rr), (_, hits2, rr2) = before.by_kind[kind], after.by_kind[kind]
            figures = f"recall {hits / n:.3f} -> {hits2 / n:.3f}   MRR {rr / n:.3f} -> {rr2 / n:.3f}"
            print(f"  {before.mode:<7} {kind:<16} n={n:<4} {figures}")
    if args.embed:
        embedding_cost(args.embed)


if __name__ == "__main__":
    main()

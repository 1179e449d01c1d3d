"""Synthetic vectors and timing helpers shared by the retrieval benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from jurisgraph.engine.vectors import SparseVector

DIM = 384
VOCAB = 60_000


def unit_rows(rng: np.random.Generator, n: int) -> np.ndarray[Any, np.dtype[np.float32]]:
    """``n`` random 384-d unit vectors."""
    rows = rng.standard_normal((n, DIM)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


def sparse(rng: np.random.Generator, terms: int) -> SparseVector:
    """A sparse vector of up to ``terms`` Zipf-distributed term ids."""
    ids = np.unique(np.minimum(rng.zipf(1.3, size=terms * 2), VOCAB - 1))[:terms]
    return SparseVector.of(ids.tolist(), (1.0 + rng.random(len(ids))).tolist())


def p50_p95(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


def time_calls(fn: Callable[[int], object], count: int) -> list[float]:
    """Milliseconds of ``fn(0) … fn(count - 1)`` after 20 warm-up calls."""
    for i in range(min(20, count)):
        fn(i)
    out = []
    for i in range(count):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000.0)
    return out

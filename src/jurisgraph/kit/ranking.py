"""Generic ranking metrics over lists of keys: recall@k, reciprocal rank, nDCG, percentiles.

Ranked lists are lists of keys in rank order (duplicates are folded into their first
occurrence); relevance is binary (a key is in the relevant set or it is not).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence


def dedupe(keys: Iterable[str]) -> list[str]:
    """``keys`` in first-seen order, each once (passages of one document fold into it)."""
    return list(dict.fromkeys(k for k in keys if k))


def recall_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """Share of the relevant keys found in the first ``k`` of ``ranked``; 0 without relevant keys."""
    if not relevant or k <= 0:
        return 0.0
    top = set(dedupe(ranked)[:k])
    return len(top & set(relevant)) / len(set(relevant))


def reciprocal_rank(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """1/rank of the first relevant key within the first ``k`` (0 when none is there)."""
    wanted = set(relevant)
    for rank, key in enumerate(dedupe(ranked)[:k], start=1):
        if key in wanted:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked: Sequence[str], relevant: Collection[str], k: int = 10) -> float:
    """Normalised discounted cumulative gain with binary relevance over the first ``k``."""
    wanted = set(relevant)
    if not wanted or k <= 0:
        return 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank, key in enumerate(dedupe(ranked)[:k], 1) if key in wanted)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(wanted), k) + 1))
    return dcg / ideal


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by linear interpolation between closest ranks; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * min(max(q, 0.0), 100.0) / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None

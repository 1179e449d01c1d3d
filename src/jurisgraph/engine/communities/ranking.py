"""Importance of a community."""

from __future__ import annotations

import math

MENTION_FACTOR = 0.5


def community_rank(size: int, weight: float, mention_count: int) -> float:
    """``ln(1 + size) + ln(1 + internal edge weight) + 0.5 * ln(1 + member mentions)``.

    Logarithms keep one huge hub from drowning everything else; mentions count half because
    they measure how often the members were cited, not how tightly they are linked. Higher is
    more important; the value is rounded to 6 decimals.
    """
    value = (
        math.log1p(size) + math.log1p(max(weight, 0.0)) + MENTION_FACTOR * math.log1p(max(mention_count, 0))
    )
    return round(value, 6)

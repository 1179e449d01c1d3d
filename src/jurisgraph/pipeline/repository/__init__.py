"""The pipeline's SQL, by area: catalogue (datasets, resources), documents (with chunks and
mentions), graph (nodes, edges, entity summaries), communities, vectors (index bookkeeping and
the embedding cache), jobs and logs.

Every function works inside the caller's session; the stages, the job runner and the action
log open and commit their own transactions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

#: Values per ``IN (…)`` list.
BATCH = 500


def in_batches(values: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]

"""Retrieval quality on a labelled query set: recall@k and MRR per mode, at document level.

A query is labelled with the document key it must retrieve (``tema:1076``); passages are
collapsed to their documents in rank order before scoring. ``jurisgraph eval``
(:mod:`jurisgraph.evaluation`) scores these modes and the answering modes on the same sets.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jurisgraph.kit.ranking import reciprocal_rank
from jurisgraph.runtime import Retrieval
from jurisgraph.search.service import MODES, Mode, search


@dataclass
class ModeScore:
    """Scores of one mode over a query set."""

    mode: str
    queries: int = 0
    hits_at_k: int = 0
    reciprocal_ranks: float = 0.0
    by_kind: dict[str, tuple[int, int, float]] = field(default_factory=dict)  # kind → (n, hits, rr sum)

    @property
    def recall(self) -> float:
        """Share of queries whose expected document is in the top k."""
        return self.hits_at_k / self.queries if self.queries else 0.0

    @property
    def mrr(self) -> float:
        """Mean reciprocal rank of the expected document (0 when absent from the top k)."""
        return self.reciprocal_ranks / self.queries if self.queries else 0.0


def load_queries(path: Path) -> list[dict[str, Any]]:
    """The ``queries`` of a query-set file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    queries: list[dict[str, Any]] = data["queries"]
    return queries


def evaluate(
    retrieval: Retrieval,
    workspace_ids: Sequence[int],
    queries: Sequence[dict[str, Any]],
    *,
    k: int = 10,
    modes: Sequence[Mode] = MODES,
) -> list[ModeScore]:
    """Score each mode on ``queries`` (dicts with ``query``, ``expected`` and ``kind``)."""
    scores = []
    for mode in modes:
        score = ModeScore(mode=mode)
        for item in queries:
            passages = search(retrieval, item["query"], workspace_ids, mode=mode, k=k * 3)
            documents = [passage.document_key for passage in passages]
            rr = reciprocal_rank(documents, {item["expected"]}, k)
            hit = 1 if rr else 0
            score.queries += 1
            score.hits_at_k += hit
            score.reciprocal_ranks += rr
            n, hits, rr_sum = score.by_kind.get(item.get("kind", ""), (0, 0, 0.0))
            score.by_kind[item.get("kind", "")] = (n + 1, hits + hit, rr_sum + rr)
        scores.append(score)
    return scores

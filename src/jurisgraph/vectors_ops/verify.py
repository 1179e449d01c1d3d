"""Recall@k of a collection against an exact brute-force search over the source vectors.

For each sampled source point, its source vector is the query. The exact neighbours come
from a cosine scan over every source vector (numpy); the store's answer counts as right
for each hit whose exact score reaches the k-th best exact score (so ties do not count as
misses). The self-hit rate is the share of queries whose own point is among the k hits.
The source is the target itself (index quality), another collection, an export file, or a
Chroma store (migration fidelity); its dense vectors are held in memory (n × dim float32).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import structlog

from jurisgraph.engine.vectors import VectorIndex, VectorPoint, parse_collection_name
from jurisgraph.errors import DimensionMismatch, InvalidInput
from jurisgraph.pipeline.context import Progress, no_progress
from jurisgraph.vectors_ops.exporting import physical_name

log = structlog.get_logger(__name__)

SCORE_TOLERANCE = 1e-4
DEFAULT_SEED = 20240501
WORST = 5


@dataclass(frozen=True)
class VerifyReport:
    """Recall@k and self-hit rate of ``target`` against ``source`` over ``sample`` queries."""

    target: str
    source: str
    k: int
    sample: int
    recall: float
    self_hit: float
    threshold: float
    target_count: int
    source_count: int
    worst: list[tuple[str, float]] = field(default_factory=list)

    @property
    def counts_match(self) -> bool:
        """True when the target holds as many points as the source."""
        return self.target_count == self.source_count

    @property
    def passed(self) -> bool:
        """Recall at or above the threshold and no point missing or extra."""
        return self.recall >= self.threshold and self.counts_match


@dataclass(frozen=True)
class DenseSet:
    """Ids and unit-length dense rows of a source, plus how many points it had in all."""

    ids: list[str]
    matrix: npt.NDArray[np.float32]
    total: int


def load_dense(points: Iterable[VectorPoint]) -> DenseSet:
    """The dense vectors of ``points`` as a normalised matrix (points without one are counted only)."""
    ids: list[str] = []
    rows: list[npt.NDArray[np.float32]] = []
    total = 0
    for point in points:
        total += 1
        if point.dense is None:
            continue
        ids.append(point.id)
        rows.append(np.asarray(point.dense, dtype=np.float32))
    if not rows:
        raise InvalidInput("the source has no dense vectors to verify against")
    if len({r.shape for r in rows}) != 1:
        raise DimensionMismatch("the source mixes dense vectors of different sizes")
    matrix = np.vstack(rows)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0.0] = 1.0
    return DenseSet(ids, (matrix / norms).astype(np.float32), total)


def verify(
    index: VectorIndex,
    target: str,
    *,
    source: Iterable[VectorPoint] | None = None,
    source_label: str | None = None,
    sample: int = 100,
    k: int = 10,
    threshold: float = 0.95,
    seed: int = DEFAULT_SEED,
    progress: Progress = no_progress,
) -> VerifyReport:
    """Measure recall@k of ``target`` (alias or collection); ``source`` defaults to its own points."""
    if sample < 1 or k < 1:
        raise InvalidInput("sample and k must be at least 1")
    collection = physical_name(index, target)
    data = load_dense(source if source is not None else index.scroll(collection))
    n, dim = data.matrix.shape
    parsed = parse_collection_name(collection)
    if parsed is not None and parsed[2] != dim:
        raise DimensionMismatch(f"the source has {dim}-d vectors but {collection} holds {parsed[2]}-d ones")
    row_of = {point_id: row for row, point_id in enumerate(data.ids)}
    chosen = np.sort(np.random.default_rng(seed).choice(n, size=min(sample, n), replace=False))
    depth = min(k, n)
    recalls: list[float] = []
    self_hits = 0
    for done, row in enumerate(chosen, start=1):
        query = data.matrix[row]
        scores = data.matrix @ query
        kth = float(np.partition(scores, n - depth)[n - depth])
        hits = index.search_dense(collection, query, limit=depth)
        good = sum(
            1 for h in hits if (r := row_of.get(h.id)) is not None and scores[r] >= kth - SCORE_TOLERANCE
        )
        recalls.append(good / depth)
        self_hits += any(h.id == data.ids[row] for h in hits)
        progress("verify", done, len(chosen), collection)
    order = np.argsort(recalls, kind="stable")[:WORST]
    report = VerifyReport(
        target=collection,
        source=source_label or collection,
        k=depth,
        sample=len(chosen),
        recall=float(np.mean(recalls)),
        self_hit=self_hits / len(chosen),
        threshold=threshold,
        target_count=index.count(collection),
        source_count=data.total,
        worst=[(data.ids[chosen[i]], recalls[i]) for i in order if recalls[i] < 1.0],
    )
    log.info("vectors_verified", target=collection, recall=report.recall, self_hit=report.self_hit)
    return report

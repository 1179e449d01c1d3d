"""Compact undirected weighted graph built from node and edge values with numpy.

Node ``i`` is the ``i``-th key in sorted order, so indices (and everything computed from
them) do not depend on the order of the input. Parallel edges of any type and direction are
merged into one pair ``(a, b)`` with ``a < b``; their weights are summed in a fixed order so
the float result is the same whatever the input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import structlog

from jurisgraph.engine.communities.model import EdgeInfo, NodeInfo
from jurisgraph.errors import InvalidInput

log = structlog.get_logger(__name__)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class IndexedGraph:
    """``keys[i]`` names node ``i``; pair ``j`` joins ``src[j] < dst[j]`` with ``weight[j] > 0``.

    ``count[j]`` is how many input edges were merged into pair ``j``; ``mentions[i]`` is the
    mention count of node ``i``.
    """

    keys: list[str]
    mentions: IntArray
    src: IntArray
    dst: IntArray
    weight: FloatArray
    count: IntArray

    @property
    def node_count(self) -> int:
        """Number of nodes."""
        return len(self.keys)


def build_graph(nodes: Sequence[NodeInfo], edges: Iterable[EdgeInfo]) -> IndexedGraph:
    """Index ``nodes`` by sorted key and merge ``edges`` into weighted undirected pairs.

    Edges whose endpoints are not among ``nodes`` (logged), self-loops and pairs whose weights
    sum to zero are left out.
    Raises :class:`InvalidInput` for a repeated node key or a negative or non-finite weight.
    """
    by_key = {node.key: node for node in nodes}
    if len(by_key) != len(nodes):
        raise InvalidInput("node keys must be unique")
    keys = sorted(by_key)
    index = {key: i for i, key in enumerate(keys)}
    mentions = np.fromiter((by_key[key].mention_count for key in keys), dtype=np.int64, count=len(keys))

    edge_list = edges if isinstance(edges, Sequence) else list(edges)
    count = len(edge_list)
    get = index.get
    a = np.fromiter((get(e.source, -1) for e in edge_list), dtype=np.int64, count=count)
    b = np.fromiter((get(e.target, -1) for e in edge_list), dtype=np.int64, count=count)
    w = np.fromiter((e.weight for e in edge_list), dtype=np.float64, count=count)
    known = (a >= 0) & (b >= 0)
    bad = np.flatnonzero(known & ~(np.isfinite(w) & (w >= 0)))
    if bad.size:
        edge = edge_list[int(bad[0])]
        raise InvalidInput(f"edge {edge.source} -> {edge.target} has an invalid weight {edge.weight!r}")
    unknown = count - int(known.sum())
    if unknown:
        log.warning("communities.unknown_endpoints", edges=unknown)
    keep = known & (a != b)
    return _merge(keys, mentions, a[keep], b[keep], w[keep])


def _merge(keys: list[str], mentions: IntArray, a: IntArray, b: IntArray, w: FloatArray) -> IndexedGraph:
    """Pairs ``(min, max)`` with summed weights (summed in (pair, weight) order); zero pairs dropped."""
    n = len(keys)
    low = np.minimum(a, b)
    high = np.maximum(a, b)
    code = low * np.int64(max(n, 1)) + high
    order = np.lexsort((w, code))
    code = code[order]
    w = w[order]
    if code.size == 0:
        empty = np.zeros(0, np.int64)
        return IndexedGraph(keys, mentions, empty, empty.copy(), np.zeros(0, np.float64), empty.copy())
    starts = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    merged_code = code[starts]
    merged_weight = np.add.reduceat(w, starts)
    counts = np.diff(np.append(starts, code.size)).astype(np.int64)
    keep = merged_weight > 0
    merged_code = merged_code[keep]
    return IndexedGraph(
        keys=keys,
        mentions=mentions,
        src=merged_code // max(n, 1),
        dst=merged_code % max(n, 1),
        weight=merged_weight[keep],
        count=counts[keep],
    )

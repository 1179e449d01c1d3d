"""Hierarchical splitting: Leiden on the whole graph, then on every community that is too big."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import structlog

from jurisgraph.engine.communities.graph import FloatArray, IndexedGraph, IntArray
from jurisgraph.engine.communities.leiden import leiden_membership

log = structlog.get_logger(__name__)

SPLIT_ATTEMPTS = 3  # a group that resists splitting is retried at 2x and 4x the split resolution


@dataclass(frozen=True, slots=True)
class Group:
    """A community by node indices: ``parent`` indexes the enclosing group, ``members`` ascend."""

    level: int
    parent: int | None
    members: IntArray


@dataclass(frozen=True, slots=True)
class HierarchyOptions:
    """Knobs of :func:`build_hierarchy` (validated by the caller)."""

    max_community_size: int
    max_levels: int
    min_community_size: int
    resolution: float
    split_resolution: float
    seed: int
    n_iterations: int


def build_hierarchy(graph: IndexedGraph, options: HierarchyOptions) -> list[Group]:
    """Groups of all levels, parents before children.

    Level 0 is a modularity Leiden run over the whole graph. A group larger than
    ``max_community_size`` is split by Leiden on its induced subgraph into children one level
    down, until ``max_levels`` levels exist. Groups smaller than ``min_community_size`` are
    dropped, so nodes without edges (singletons) get no group under the default minimum of 2.
    """
    started = time.perf_counter()
    n = graph.node_count
    labels = leiden_membership(
        n,
        graph.src,
        graph.dst,
        graph.weight,
        resolution=options.resolution,
        seed=options.seed,
        n_iterations=options.n_iterations,
    )
    groups = [
        Group(0, None, part)
        for part in split_by_label(np.arange(n, dtype=np.int64), labels)
        if part.size >= options.min_community_size
    ]
    log.info(
        "communities.level", level=0, communities=len(groups), seconds=round(time.perf_counter() - started, 3)
    )
    frontier = [i for i, group in enumerate(groups) if group.members.size > options.max_community_size]
    for level in range(1, options.max_levels):
        if not frontier:
            break
        started = time.perf_counter()
        first_new = len(groups)
        parents = [groups[i].members for i in frontier]
        for parent, (members, src, dst, weight) in zip(
            frontier, induced_subgraphs(graph, parents), strict=True
        ):
            groups.extend(Group(level, parent, part) for part in _split(members, src, dst, weight, options))
        log.info(
            "communities.level",
            level=level,
            split=len(frontier),
            communities=len(groups) - first_new,
            seconds=round(time.perf_counter() - started, 3),
        )
        frontier = [
            i for i in range(first_new, len(groups)) if groups[i].members.size > options.max_community_size
        ]
    return groups


def split_by_label(members: IntArray, labels: IntArray) -> list[IntArray]:
    """``members`` grouped by ``labels`` (aligned arrays); each part keeps ascending order."""
    if members.size == 0:
        return []
    order = np.argsort(labels, kind="stable")
    ordered = labels[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    ends = np.append(starts[1:], ordered.size)
    return [members[order[s:e]] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]


def induced_subgraphs(
    graph: IndexedGraph, parts: Sequence[IntArray]
) -> Iterator[tuple[IntArray, IntArray, IntArray, FloatArray]]:
    """For each of the disjoint ``parts``: its members and its internal pairs in local indices."""
    label = np.full(graph.node_count, -1, dtype=np.int64)
    local = np.zeros(graph.node_count, dtype=np.int64)
    for i, members in enumerate(parts):
        label[members] = i
        local[members] = np.arange(members.size, dtype=np.int64)
    source_label = label[graph.src]
    inside = np.flatnonzero((source_label >= 0) & (source_label == label[graph.dst]))
    owner = source_label[inside]
    order = np.argsort(owner, kind="stable")
    inside = inside[order]
    bounds = np.searchsorted(owner[order], np.arange(len(parts) + 1))
    for i, members in enumerate(parts):
        pairs = inside[bounds[i] : bounds[i + 1]]
        yield members, local[graph.src[pairs]], local[graph.dst[pairs]], graph.weight[pairs]


def _split(
    members: IntArray, src: IntArray, dst: IntArray, weight: FloatArray, options: HierarchyOptions
) -> list[IntArray]:
    """Children of one group (parts of at least ``min_community_size``), or ``[]`` when no
    resolution tried yields two such parts: a group without internal structure stays a leaf."""
    resolution = options.split_resolution
    for _ in range(SPLIT_ATTEMPTS):
        labels = leiden_membership(
            members.size,
            src,
            dst,
            weight,
            resolution=resolution,
            seed=options.seed,
            n_iterations=options.n_iterations,
        )
        parts = [p for p in split_by_label(members, labels) if p.size >= options.min_community_size]
        if len(parts) > 1:
            return parts
        resolution *= 2
    return []

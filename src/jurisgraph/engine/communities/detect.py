"""Hierarchical Leiden community detection over plain node and edge values."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence

import numpy as np
import structlog

from jurisgraph.engine.communities.graph import FloatArray, IndexedGraph, IntArray, build_graph
from jurisgraph.engine.communities.hierarchy import Group, HierarchyOptions, build_hierarchy
from jurisgraph.engine.communities.model import Community, EdgeInfo, NodeInfo
from jurisgraph.engine.communities.ranking import community_rank
from jurisgraph.errors import InvalidInput

log = structlog.get_logger(__name__)


def detect_communities(
    nodes: Sequence[NodeInfo],
    edges: Iterable[EdgeInfo],
    *,
    max_community_size: int = 50,
    max_levels: int = 3,
    min_community_size: int = 2,
    resolution: float = 1.0,
    split_resolution: float = 1.0,
    seed: int = 42,
    n_iterations: int = 2,
) -> list[Community]:
    """Communities of every level, sorted by level, then rank (highest first), then id.

    The graph is undirected: parallel edges of any type or direction are merged and their
    weights summed; self-loops and edges to unknown keys are ignored. Level 0 maximises
    modularity (at ``resolution``) over the whole graph; a community above
    ``max_community_size`` is split on its induced subgraph (modularity at
    ``split_resolution``, retried at higher resolutions if it will not split) into level
    ``level + 1``, up to ``max_levels`` levels. Communities below ``min_community_size`` are
    dropped: with the default of 2, nodes without edges belong to no community. A community
    that cannot be split, or that is at the last level, may stay above the maximum size.

    The result depends only on the set of nodes and edges and on ``seed``, never on their
    order or on the process. Raises :class:`InvalidInput` for invalid options, repeated node
    keys or negative weights.
    """
    options = HierarchyOptions(
        max_community_size=max_community_size,
        max_levels=max_levels,
        min_community_size=min_community_size,
        resolution=resolution,
        split_resolution=split_resolution,
        seed=seed,
        n_iterations=n_iterations,
    )
    _validate(options)
    started = time.perf_counter()
    graph = build_graph(nodes, edges)
    log.info(
        "communities.graph",
        nodes=graph.node_count,
        pairs=int(graph.src.size),
        seconds=round(time.perf_counter() - started, 3),
    )
    groups = build_hierarchy(graph, options)
    return _communities(graph, groups)


def _validate(options: HierarchyOptions) -> None:
    if options.max_levels < 1:
        raise InvalidInput("max_levels must be at least 1")
    if options.max_community_size < 2:
        raise InvalidInput("max_community_size must be at least 2")
    if options.min_community_size < 1:
        raise InvalidInput("min_community_size must be at least 1")
    if not (options.resolution > 0 and options.split_resolution > 0):
        raise InvalidInput("resolutions must be positive")
    if options.n_iterations == 0:
        raise InvalidInput("n_iterations must be non-zero (negative runs until stable)")


def community_id(level: int, members: Sequence[str]) -> str:
    """``L<level>-<12 hex digits>``: a hash of the sorted member keys at that level."""
    digest = hashlib.blake2b("\n".join(members).encode("utf-8"), digest_size=6).hexdigest()
    return f"L{level}-{digest}"


def _communities(graph: IndexedGraph, groups: list[Group]) -> list[Community]:
    ids: list[str] = []
    result: list[Community] = []
    by_level: dict[int, list[int]] = {}
    for i, group in enumerate(groups):
        by_level.setdefault(group.level, []).append(i)
    stats: dict[int, tuple[int, float]] = {}
    for indices in by_level.values():
        counts, weights = _internal_totals(graph, [groups[i].members for i in indices])
        for position, i in enumerate(indices):
            stats[i] = (int(counts[position]), float(weights[position]))
    for i, group in enumerate(groups):
        members = tuple(graph.keys[j] for j in group.members.tolist())
        ids.append(community_id(group.level, members))
        edge_count, weight = stats[i]
        mentions = int(graph.mentions[group.members].sum())
        result.append(
            Community(
                community_id=ids[i],
                level=group.level,
                parent_id=None if group.parent is None else ids[group.parent],
                members=members,
                size=len(members),
                edge_count=edge_count,
                weight=round(weight, 9),
                mention_count=mentions,
                rank=community_rank(len(members), weight, mentions),
            )
        )
    result.sort(key=lambda c: (c.level, -c.rank, c.community_id))
    return result


def _internal_totals(graph: IndexedGraph, parts: list[IntArray]) -> tuple[IntArray, FloatArray]:
    """Input edge count and weight inside each of the disjoint ``parts``."""
    label = np.full(graph.node_count, -1, dtype=np.int64)
    for i, members in enumerate(parts):
        label[members] = i
    source_label = label[graph.src]
    inside = (source_label >= 0) & (source_label == label[graph.dst])
    owner = source_label[inside]
    counts = np.bincount(owner, weights=graph.count[inside], minlength=len(parts)).astype(np.int64)
    weights = np.bincount(owner, weights=graph.weight[inside], minlength=len(parts)).astype(np.float64)
    return counts, weights

"""Benchmark of hierarchical community detection on a synthetic graph.

Generates (numpy, fixed seed) a graph with planted blocks of log-normal sizes: most edges
fall inside a block, the rest join random nodes. Prints the time of each stage and level and
the peak resident memory. Run: ``python bench/communities.py [--nodes N] [--edges M]``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import MutableMapping
from typing import Any

import numpy as np
import structlog
import summary
from structlog.testing import capture_logs

from jurisgraph.engine.communities import EdgeInfo, NodeInfo, detect_communities, finest_communities
from jurisgraph.engine.communities.reports import extractive_reports
from jurisgraph.engine.types import EntityType, RelationType


def synthetic_graph(
    nodes: int, edges: int, seed: int, inside: float
) -> tuple[list[NodeInfo], list[EdgeInfo]]:
    """``nodes`` nodes in planted blocks and ``edges`` weighted typed edges."""
    rng = np.random.default_rng(seed)
    sizes = np.maximum(2, rng.lognormal(mean=3.0, sigma=1.0, size=nodes).astype(np.int64))
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), nodes)) + 1]
    sizes[-1] -= int(sizes.sum()) - nodes
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    block = np.repeat(np.arange(sizes.size), sizes)

    internal = int(edges * inside)
    src = rng.integers(0, nodes, size=edges)
    dst = np.empty(edges, dtype=np.int64)
    own = block[src[:internal]]
    dst[:internal] = starts[own] + (rng.random(internal) * sizes[own]).astype(np.int64)
    dst[internal:] = rng.integers(0, nodes, size=edges - internal)
    weight = rng.choice(np.array([0.5, 1.0, 2.0, 3.0]), size=edges)
    relation = rng.integers(0, len(RelationType), size=edges)
    mentions = rng.integers(0, 20, size=nodes)

    types = list(EntityType)
    relations = list(RelationType)
    keys = [f"n:{i:06d}" for i in range(nodes)]
    node_list = [
        NodeInfo(keys[i], types[i % len(types)], f"Entidade {i}", "", int(m))
        for i, m in enumerate(mentions.tolist())
    ]
    edge_list = [
        EdgeInfo(keys[a], keys[b], relations[r], w)
        for a, b, r, w in zip(src.tolist(), dst.tolist(), relation.tolist(), weight.tolist(), strict=True)
    ]
    return node_list, edge_list


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--inside", type=float, default=0.8, help="share of edges inside planted blocks")
    parser.add_argument("--max-community-size", type=int, default=50)
    parser.add_argument("--reports", action="store_true", help="also time extractive reports")
    summary.add_option(parser)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    nodes, edges = synthetic_graph(args.nodes, args.edges, args.seed, args.inside)
    print(f"generate  {time.perf_counter() - started:8.2f} s  {len(nodes):,} nodes, {len(edges):,} edges")
    print(f"rss after generation {peak_rss_mb():,.0f} MiB")

    started = time.perf_counter()
    cpu = time.process_time()
    with capture_logs() as events:
        communities = detect_communities(nodes, edges, max_community_size=args.max_community_size)
    total = time.perf_counter() - started
    cpu = cpu_detect = time.process_time() - cpu
    for event in events:
        _print_event(event)
    print(f"detect    {total:8.2f} s  total wall clock ({cpu:.2f} s CPU)")
    for level in sorted({c.level for c in communities}):
        at_level = [c for c in communities if c.level == level]
        sizes = [c.size for c in at_level]
        print(
            f"  level {level}: {len(at_level):,} communities, {sum(sizes):,} nodes, "
            f"median size {int(np.median(sizes))}, largest {max(sizes):,}"
        )
    started = time.perf_counter()
    finest = finest_communities(communities)
    print(f"finest    {time.perf_counter() - started:8.2f} s  {len(finest):,} nodes with a community")
    if args.reports:
        started = time.perf_counter()
        cpu = time.process_time()
        reports = extractive_reports(communities, {n.key: n for n in nodes}, edges)
        cpu = time.process_time() - cpu
        print(f"reports   {time.perf_counter() - started:8.2f} s  {len(reports):,} reports ({cpu:.2f} s CPU)")
    print(f"peak rss  {peak_rss_mb():,.0f} MiB")
    figures = {"detect_s": total, "detect_cpu_s": cpu_detect, "communities": len(communities)}
    summary.write(args.summary, figures | {"peak_rss_mib": peak_rss_mb()})


def _print_event(event: MutableMapping[str, Any]) -> None:
    if event.get("event") == "communities.graph":
        print(
            f"graph     {event['seconds']:8.2f} s  {event['nodes']:,} nodes, {event['pairs']:,} merged pairs"
        )
    elif event.get("event") == "communities.level":
        split = f", {event['split']:,} split" if "split" in event else ""
        print(
            f"level {event['level']}   {event['seconds']:8.2f} s  {event['communities']:,} communities{split}"
        )


if __name__ == "__main__":
    structlog.configure(cache_logger_on_first_use=False)
    main(sys.argv[1:])

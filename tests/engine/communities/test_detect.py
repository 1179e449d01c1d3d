"""Hierarchical Leiden over planted structures and over the real precedentes-qualificados graph."""

from __future__ import annotations

import csv
import itertools
import json
import math
import os
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from jurisgraph.engine.communities import (
    Community,
    EdgeInfo,
    NodeInfo,
    assign_levels,
    community_rank,
    detect_communities,
    finest_communities,
)
from jurisgraph.engine.types import EntityType, RelationType
from jurisgraph.errors import InvalidInput
from tests.fixtures.paths import SHARED_DATA

PRECEDENTES = SHARED_DATA / "precedentes"


def _nodes(keys: set[str] | list[str], mentions: int = 1) -> list[NodeInfo]:
    return [NodeInfo(key, EntityType.PROCESSO, key, mention_count=mentions) for key in sorted(keys)]


def _clique(prefix: str, size: int, weight: float = 1.0) -> tuple[list[str], list[EdgeInfo]]:
    keys = [f"{prefix}{i:02d}" for i in range(size)]
    edges = [EdgeInfo(a, b, RelationType.SIMILAR_A, weight) for a, b in itertools.combinations(keys, 2)]
    return keys, edges


def _planted_hierarchy() -> tuple[list[list[list[str]]], list[EdgeInfo]]:
    """Two groups of three K8 cliques; cliques in a group share 6 edges, the groups share 1."""
    groups: list[list[list[str]]] = []
    edges: list[EdgeInfo] = []
    for g in "AB":
        cliques = []
        for c in range(3):
            keys, clique_edges = _clique(f"{g}{c}-", 8)
            cliques.append(keys)
            edges += clique_edges
        for x, y in itertools.combinations(cliques, 2):
            edges += [EdgeInfo(x[i], y[(i + 3) % 8], RelationType.CITA_PRECEDENTE) for i in range(6)]
        groups.append(cliques)
    edges.append(EdgeInfo(groups[0][0][0], groups[1][0][0], RelationType.CITA_PRECEDENTE))
    return groups, edges


def _member_sets(communities: list[Community], level: int) -> set[frozenset[str]]:
    return {frozenset(c.members) for c in communities if c.level == level}


def test_two_cliques_joined_by_a_weak_edge_are_two_communities() -> None:
    left, left_edges = _clique("a", 6)
    right, right_edges = _clique("b", 7)
    edges = [*left_edges, *right_edges, EdgeInfo(left[0], right[0], RelationType.REFERENCIA, 0.1)]
    communities = detect_communities(_nodes(left + right), edges)
    assert _member_sets(communities, 0) == {frozenset(left), frozenset(right)}
    by_members = {frozenset(c.members): c for c in communities}
    assert by_members[frozenset(right)].edge_count == 21
    assert by_members[frozenset(right)].weight == pytest.approx(21.0)
    assert all(c.parent_id is None and c.members == tuple(sorted(c.members)) for c in communities)


def test_big_communities_are_split_into_children_with_parent_ids() -> None:
    groups, edges = _planted_hierarchy()
    keys = {key for group in groups for clique in group for key in clique}
    communities = detect_communities(_nodes(keys), edges, max_community_size=10, resolution=0.2)
    assert _member_sets(communities, 0) == {frozenset(k for c in group for k in c) for group in groups}
    assert _member_sets(communities, 1) == {frozenset(c) for group in groups for c in group}
    assert {c.level for c in communities} == {0, 1}
    by_id = {c.community_id: c for c in communities}
    for child in (c for c in communities if c.level == 1):
        parent = by_id[child.parent_id or ""]
        assert parent.level == 0
        assert set(child.members) <= set(parent.members)
        assert child.edge_count == 28

    chains = assign_levels(communities)
    finest = finest_communities(communities)
    assert set(chains) == keys
    for key in keys:
        assert len(chains[key]) == 2
        assert by_id[chains[key][1]].parent_id == chains[key][0]
        assert finest[key] == (chains[key][1], 1)


def test_max_levels_one_keeps_big_communities_whole() -> None:
    groups, edges = _planted_hierarchy()
    keys = {key for group in groups for clique in group for key in clique}
    communities = detect_communities(_nodes(keys), edges, max_community_size=10, max_levels=1, resolution=0.2)
    assert {c.level for c in communities} == {0}
    assert all(c.size == 24 for c in communities)


def test_a_community_without_structure_stays_whole() -> None:
    keys, edges = _clique("k", 30)
    (community,) = detect_communities(_nodes(keys), edges, max_community_size=20)
    assert community.members == tuple(keys)
    assert community.level == 0


def test_only_the_big_community_is_split() -> None:
    groups, edges = _planted_hierarchy()
    small, small_edges = _clique("s", 5)
    keys = {key for group in groups for clique in group for key in clique} | set(small)
    communities = detect_communities(_nodes(keys), edges + small_edges, max_community_size=24, resolution=0.2)
    by_id = {c.community_id: c for c in communities}
    assert _member_sets(communities, 0) >= {frozenset(small)}
    parents = {by_id[c.parent_id or ""].members for c in communities if c.level == 1}
    assert all(len(members) > 24 for members in parents)
    assert frozenset(small) not in {frozenset(c.members) for c in communities if c.level == 1}


def test_same_graph_in_any_order_gives_identical_communities() -> None:
    nodes, edges = _random_planted_graph(seed=3)
    first = detect_communities(nodes, edges, max_community_size=20)
    again = detect_communities(nodes, edges, max_community_size=20)
    shuffler = random.Random(11)
    shuffled_nodes = nodes[:]
    shuffler.shuffle(shuffled_nodes)
    # the same edges, shuffled, reversed and split into parallel halves of other types
    shuffled_edges: list[EdgeInfo] = []
    for e in edges:
        half = e.weight / 2
        shuffled_edges.append(EdgeInfo(e.target, e.source, RelationType.REFERENCIA, half))
        shuffled_edges.append(EdgeInfo(e.source, e.target, RelationType.TRATA_DE, half))
    shuffler.shuffle(shuffled_edges)
    shuffled = detect_communities(shuffled_nodes, shuffled_edges, max_community_size=20)
    assert first == again
    assert [c.community_id for c in first] == [c.community_id for c in shuffled]
    assert [c.members for c in first] == [c.members for c in shuffled]
    assert len({c.level for c in first}) >= 2


def test_same_result_in_another_process_with_another_hash_seed() -> None:
    nodes, edges = _random_planted_graph(seed=5)
    expected = [[c.community_id, c.parent_id, list(c.members)] for c in detect_communities(nodes, edges)]
    script = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_detect import _random_planted_graph\n"
        "from jurisgraph.engine.communities import detect_communities\n"
        "nodes, edges = _random_planted_graph(seed=5)\n"
        "print(json.dumps([[c.community_id, c.parent_id, list(c.members)] "
        "for c in detect_communities(nodes, edges)]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "987"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == expected


def test_the_caller_random_state_is_untouched() -> None:
    nodes, edges = _random_planted_graph(seed=2)
    random.seed(123)
    expected = random.random()
    random.seed(123)
    detect_communities(nodes, edges)
    assert random.random() == expected


def test_empty_graph_and_graph_without_edges() -> None:
    assert detect_communities([], []) == []
    lonely = _nodes({"x", "y", "z"})
    assert detect_communities(lonely, []) == []
    singletons = detect_communities(lonely, [], min_community_size=1)
    assert sorted(c.members for c in singletons) == [("x",), ("y",), ("z",)]


def test_isolated_nodes_and_disconnected_components() -> None:
    triangles = [[f"{t}{i}" for i in range(3)] for t in "pqr"]
    edges = [
        EdgeInfo(a, b, RelationType.SIMILAR_A) for tri in triangles for a, b in itertools.combinations(tri, 2)
    ]
    keys = {k for tri in triangles for k in tri} | {"isolated"}
    communities = detect_communities(_nodes(keys), edges)
    assert _member_sets(communities, 0) == {frozenset(t) for t in triangles}
    assert "isolated" not in finest_communities(communities)


def test_parallel_edges_self_loops_and_unknown_endpoints() -> None:
    keys = ["a", "b", "c"]
    edges = [
        EdgeInfo(a, b, t, 2.0)
        for a, b in itertools.combinations(keys, 2)
        for t in ("RELATOR_DE", "REFERENCIA")
    ]
    edges += [EdgeInfo("a", "a", "SIMILAR_A", 5.0), EdgeInfo("a", "nowhere", "SIMILAR_A", 5.0)]
    (community,) = detect_communities(_nodes(keys, mentions=4), edges)
    assert community.edge_count == 6
    assert community.weight == pytest.approx(12.0)
    assert community.mention_count == 12
    assert community.rank == pytest.approx(math.log1p(3) + math.log1p(12.0) + 0.5 * math.log1p(12), abs=1e-6)


def test_rank_grows_with_size_weight_and_mentions() -> None:
    base = community_rank(5, 10.0, 20)
    assert community_rank(6, 10.0, 20) > base
    assert community_rank(5, 11.0, 20) > base
    assert community_rank(5, 10.0, 21) > base
    heavy, _ = _clique("h", 6, weight=3.0)
    light, _ = _clique("l", 6, weight=1.0)
    edges = _clique("h", 6, 3.0)[1] + _clique("l", 6, 1.0)[1]
    communities = detect_communities(_nodes(heavy + light), edges)
    assert [c.members for c in communities] == [tuple(heavy), tuple(light)]


@pytest.mark.parametrize(
    "options",
    [{"max_levels": 0}, {"max_community_size": 1}, {"min_community_size": 0}, {"resolution": 0.0}],
)
def test_invalid_options_are_rejected(options: dict[str, float]) -> None:
    with pytest.raises(InvalidInput):
        detect_communities(_nodes({"a", "b"}), [EdgeInfo("a", "b", "SIMILAR_A")], **options)  # type: ignore[arg-type]


def test_invalid_input_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        detect_communities(_nodes(["a"]) * 2, [])
    with pytest.raises(InvalidInput):
        detect_communities(_nodes({"a", "b"}), [EdgeInfo("a", "b", "SIMILAR_A", -1.0)])
    with pytest.raises(InvalidInput):
        detect_communities(_nodes({"a", "b"}), [EdgeInfo("a", "b", "SIMILAR_A", math.nan)])


def test_real_temas_keep_their_leading_case_and_stay_inside_components() -> None:
    """Temas 1-400 with their processos and relatores, from the official CSVs."""
    with (PRECEDENTES / "processos.csv").open(encoding="iso-8859-1", newline="") as f:
        rows = [
            r
            for r in csv.DictReader(f, delimiter=";")
            if r["tipoPrecedente"] == "Tema"
            and r["ministroRelator"].strip()
            and 1 <= int(r["numeroPrecedente"]) <= 400
        ]
    edges: list[EdgeInfo] = []
    leading: dict[str, str] = {}
    for r in rows:
        tema = f"tema:{r['numeroPrecedente']}"
        processo = "processo:" + r["Processo"].strip().lower().replace(" ", "_")
        ministro = "ministro:" + r["ministroRelator"].strip().lower().replace(" ", "_")
        edges.append(EdgeInfo(processo, tema, RelationType.TRATA_DE))
        edges.append(EdgeInfo(ministro, processo, RelationType.RELATOR_DE))
        if r["leadingCase"] == "S":
            edges.append(EdgeInfo(processo, tema, RelationType.LEADING_CASE_DE))
            leading[tema] = processo
    keys = {k for e in edges for k in (e.source, e.target)}
    communities = detect_communities(_nodes(keys), edges, max_community_size=40)
    assert len(leading) > 50

    # Leiden communities are connected, so never span two components of the graph
    component = _components(keys, edges)
    for c in communities:
        assert len({component[k] for k in c.members}) == 1
        assert (
            len(
                set(
                    _components(
                        set(c.members), [e for e in edges if {e.source, e.target} <= set(c.members)]
                    ).values()
                )
            )
            == 1
        )
    # a tema and its leading case (linked twice) nearly always share their top community;
    # a processo that leads several temas (REsp 1.034.255 leads temas 305, 306 and 307) may pull one away
    top = {key: chain[0] for key, chain in assign_levels(communities).items()}
    together = sum(top.get(tema) == top.get(processo) for tema, processo in leading.items())
    assert together >= 0.95 * len(leading)


def _components(keys: set[str], edges: list[EdgeInfo]) -> dict[str, str]:
    parent = {k: k for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for e in edges:
        parent[root(e.source)] = root(e.target)
    return {k: root(k) for k in keys}


def _random_planted_graph(seed: int) -> tuple[list[NodeInfo], list[EdgeInfo]]:
    """About 300 nodes in blocks of 10-60, dense inside blocks, sparse between them."""
    rng = random.Random(seed)
    blocks: list[list[str]] = []
    count = 0
    while count < 300:
        size = rng.randint(10, 60)
        blocks.append([f"n{count + i:04d}" for i in range(size)])
        count += size
    keys = [k for block in blocks for k in block]
    pairs: dict[tuple[str, str], float] = defaultdict(float)
    for block in blocks:
        for a, b in itertools.combinations(block, 2):
            if rng.random() < 0.3:
                pairs[(a, b)] += rng.choice((1.0, 2.0, 0.5))
    for _ in range(len(keys)):
        a, b = rng.sample(keys, 2)
        pairs[(a, b)] += 0.5
    return _nodes(keys), [EdgeInfo(a, b, RelationType.SIMILAR_A, w) for (a, b), w in sorted(pairs.items())]

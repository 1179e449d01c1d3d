"""One seeded Leiden run with igraph's C implementation.

igraph draws its random numbers from a process-wide generator (by default the ``random``
module). Each run here installs a fresh ``random.Random(seed)`` under a lock and puts the
``random`` module back afterwards, so a run depends only on its graph and its seed: the
same graph gives the same partition in any process, and the caller's ``random`` state is
never touched.
"""

from __future__ import annotations

import random
import threading

import igraph
import numpy as np

from jurisgraph.engine.communities.graph import FloatArray, IntArray

_RNG_LOCK = threading.Lock()


def leiden_membership(
    node_count: int,
    src: IntArray,
    dst: IntArray,
    weight: FloatArray,
    *,
    resolution: float,
    seed: int,
    n_iterations: int,
) -> IntArray:
    """Community label of each node ``0..node_count-1`` maximising weighted modularity.

    Labels are arbitrary integers; nodes without edges get labels of their own.
    """
    if node_count == 0:
        return np.zeros(0, np.int64)
    if src.size == 0:
        return np.arange(node_count, dtype=np.int64)
    graph = igraph.Graph(n=node_count, edges=list(zip(src.tolist(), dst.tolist(), strict=True)))
    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            clustering = graph.community_leiden(
                objective_function="modularity",
                weights=weight.tolist(),
                resolution=resolution,
                n_iterations=n_iterations,
            )
        finally:
            igraph.set_random_number_generator(random)
    return np.asarray(clustering.membership, dtype=np.int64)

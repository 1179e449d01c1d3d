"""Hierarchical community detection (Leiden via igraph) over plain node and edge values.

Call :func:`detect_communities` with :class:`NodeInfo` and :class:`EdgeInfo` values; store
the finest community of each node with :func:`finest_communities`. Extractive reports of the
communities are in :mod:`jurisgraph.engine.communities.reports`.
"""

from jurisgraph.engine.communities.detect import community_id, detect_communities
from jurisgraph.engine.communities.levels import assign_levels, finest_communities
from jurisgraph.engine.communities.model import Community, EdgeInfo, NodeInfo
from jurisgraph.engine.communities.ranking import community_rank

__all__ = [
    "Community",
    "EdgeInfo",
    "NodeInfo",
    "assign_levels",
    "community_id",
    "community_rank",
    "detect_communities",
    "finest_communities",
]

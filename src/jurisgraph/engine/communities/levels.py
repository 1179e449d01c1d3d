"""Per-node view of a community hierarchy."""

from __future__ import annotations

from collections.abc import Iterable

from jurisgraph.engine.communities.model import Community


def assign_levels(communities: Iterable[Community]) -> dict[str, list[str]]:
    """Node key -> ids of the communities holding it, index = level (coarsest first).

    Nodes in no community are absent. A node's list stops at the finest level that kept it.
    """
    chains: dict[str, list[str]] = {}
    for community in sorted(communities, key=lambda c: (c.level, c.community_id)):
        for key in community.members:
            chain = chains.setdefault(key, [])
            if len(chain) == community.level:
                chain.append(community.community_id)
    return chains


def finest_communities(communities: Iterable[Community]) -> dict[str, tuple[str, int]]:
    """Node key -> (id, level) of the finest community holding it: what a node row stores."""
    return {key: (chain[-1], len(chain) - 1) for key, chain in assign_levels(communities).items()}

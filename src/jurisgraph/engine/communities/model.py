"""Plain input and output values of community detection."""

from __future__ import annotations

from dataclasses import dataclass

from jurisgraph.engine.types import EntityType, RelationType


@dataclass(frozen=True, slots=True)
class NodeInfo:
    """A graph node as community detection and reports see it (``name`` is the display name)."""

    key: str
    type: EntityType
    name: str
    description: str = ""
    mention_count: int = 0


@dataclass(frozen=True, slots=True)
class EdgeInfo:
    """A typed edge between two node keys; direction is ignored by community detection."""

    source: str
    target: str
    type: RelationType | str
    weight: float = 1.0
    mention_count: int = 1


@dataclass(frozen=True, slots=True)
class Community:
    """One community of the hierarchy.

    ``community_id`` is ``L<level>-<hash of the sorted member keys>``: the same members at
    the same level always get the same id. ``level`` 0 is the coarsest; ``parent_id`` is the
    id of the enclosing community one level up (``None`` at level 0). ``members`` are sorted
    node keys. ``edge_count`` counts the input edges (parallel ones included) with both ends
    inside, ``weight`` sums their weights, ``mention_count`` sums the members' mention counts
    and ``rank`` combines them (see :func:`community_rank`).
    """

    community_id: str
    level: int
    parent_id: str | None
    members: tuple[str, ...]
    size: int
    edge_count: int
    weight: float
    mention_count: int
    rank: float

"""Collections, their sizes, models and aliases; dropping a collection that is no longer served."""

from __future__ import annotations

from dataclasses import dataclass, field

import structlog

from jurisgraph.engine.vectors import VectorIndex, check_name, parse_collection_name
from jurisgraph.errors import Conflict, NotFound

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class CollectionInfo:
    """One physical collection: size, kind/model/dim from its name, and the aliases pointing at it."""

    name: str
    points: int
    kind: str | None = None
    model: str | None = None
    dim: int | None = None
    aliases: list[str] = field(default_factory=list)

    @property
    def live(self) -> bool:
        """True when the alias of its kind (``chunks`` for chunks) points at it."""
        return self.kind is not None and self.kind in self.aliases


def collection_stats(index: VectorIndex) -> list[CollectionInfo]:
    """Every collection with its exact point count, sorted by name."""
    aliases = index.aliases()
    found: list[CollectionInfo] = []
    for name in index.list_collections():
        parsed = parse_collection_name(name)
        kind, model, dim = parsed if parsed is not None else (None, None, None)
        pointing = sorted(a for a, c in aliases.items() if c == name)
        found.append(CollectionInfo(name, index.count(name), kind, model, dim, pointing))
    return found


def drop(index: VectorIndex, name: str, *, force: bool = False) -> None:
    """Delete collection ``name``; refused (Conflict) while an alias points at it unless ``force``."""
    check_name(name)
    if name not in index.list_collections():
        raise NotFound(f"no vector collection named {name!r} (aliases cannot be dropped)")
    pointing = sorted(a for a, c in index.aliases().items() if c == name)
    if pointing and not force:
        raise Conflict(
            f"{name} is served by alias {', '.join(pointing)}; move the alias first or force the drop"
        )
    index.drop_collection(name)
    log.info("vector_collection_dropped_by_operator", collection=name, aliases=pointing)


def point_alias(index: VectorIndex, name: str) -> tuple[str, str | None]:
    """Point the alias of collection ``name``'s kind (chunks, entities, reports) at it, e.g. back at
    the previous model's collection in a rollback; (alias, the collection it served before)."""
    check_name(name)
    if name not in index.list_collections():
        raise NotFound(f"no vector collection named {name!r}")
    parsed = parse_collection_name(name)
    if parsed is None:
        raise Conflict(f"{name} does not follow <kind>__<model>__<dim>: its alias is unknown")
    alias = parsed[0]
    before = index.aliases().get(alias)
    index.set_alias(alias, name)
    log.info("vector_alias_pointed_by_operator", alias=alias, collection=name, before=before)
    return alias, before

"""Accumulates what one document yields, merging repeats.

An entity found twice is one entity (the longer display name and the first non-empty
description win, attributes are merged); a relation found twice is one relation with the
highest weight, while every occurrence keeps its own :class:`Mention`. Entities are copied on
entry, so an extraction never shares attribute dictionaries with the memoised text-rule entities.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jurisgraph.engine.types import Entity, Extraction, Mention, Relation, RelationType, relation_key


@dataclass(frozen=True, slots=True)
class Where:
    """Provenance of one occurrence: a span of the document text or a structured field."""

    start: int | None = None
    end: int | None = None
    field: str | None = None


def at(start: int, end: int) -> Where:
    """An occurrence at ``text[start:end]``."""
    return Where(start, end, None)


def in_field(name: str) -> Where:
    """An occurrence in the structured field ``name``."""
    return Where(None, None, name)


class ExtractionBuilder:
    """Collects entities, relations and mentions; :meth:`build` returns them in first-seen order."""

    def __init__(self, external: frozenset[str] = frozenset()) -> None:
        self._external = external
        self._entities: dict[str, Entity] = {}
        self._relations: dict[str, Relation] = {}
        self._mentions: list[Mention] = []

    def __contains__(self, key: str) -> bool:
        return key in self._entities

    def entity(self, entity: Entity, where: Where | None = None) -> str:
        """Add (or merge) an entity and record where it was found; returns its key."""
        current = self._entities.get(entity.key)
        if current is None:
            own = Entity(entity.key, entity.type, entity.name, entity.description, dict(entity.attributes))
            self._entities[entity.key] = own
        else:
            self._entities[entity.key] = _merge(current, entity)
        self._mention(entity.key, where)
        return entity.key

    def relate(
        self,
        source: str,
        type_: RelationType,
        target: str,
        weight: float,
        description: str = "",
        where: Where | None = None,
    ) -> None:
        """Add (or strengthen) a relation between two entity keys and record the occurrence."""
        if source == target:
            return
        if not 0.0 < weight <= 1.0:
            raise ValueError(f"weight must be in (0, 1], got {weight}")
        key = relation_key(source, type_, target)
        current = self._relations.get(key)
        if current is None:
            self._relations[key] = Relation(source, target, type_, weight, description)
        elif weight > current.weight or (description and not current.description):
            self._relations[key] = Relation(
                source, target, type_, max(weight, current.weight), current.description or description
            )
        self._mention(key, where)

    def _mention(self, target: str, where: Where | None) -> None:
        if where is not None:
            self._mentions.append(Mention(target, where.start, where.end, where.field))

    def build(self) -> Extraction:
        """The collected :class:`Extraction`; relations pointing at unknown keys are dropped
        (keys given as ``external`` at construction count as known)."""
        known = self._entities.keys() | self._external
        relations = [r for r in self._relations.values() if r.source in known and r.target in known]
        kept = {relation_key(r.source, r.type, r.target) for r in relations}
        mentions = [m for m in self._mentions if m.target in self._entities or m.target in kept]
        return Extraction(list(self._entities.values()), relations, mentions)


def _merge(old: Entity, new: Entity) -> Entity:
    if new is old:
        return old
    attributes: dict[str, Any] = dict(new.attributes)
    attributes.update(old.attributes)
    name = new.name if len(new.name) > len(old.name) else old.name
    description = old.description or new.description
    return Entity(old.key, old.type, name, description, attributes)

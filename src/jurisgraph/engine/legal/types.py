"""Result types of the free-text rules."""

from __future__ import annotations

from dataclasses import dataclass

from jurisgraph.engine.types import Entity, RelationType


@dataclass(frozen=True, slots=True)
class TextMention:
    """One entity found in a text: ``text[start:end]`` is the cited surface form.

    ``role`` is ``"relator"`` for a minister cited as relator (``"Rel. Ministro X"``) and
    ``"principal"`` for the main process implied by a compound citation (``AgRg no REsp 1``
    also yields ``REsp 1``).
    """

    entity: Entity
    start: int
    end: int
    role: str | None = None


@dataclass(frozen=True, slots=True)
class TextLink:
    """A relation the text itself states, with the span that states it."""

    source: str
    type: RelationType
    target: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TextScan:
    """Everything a scan found, in text order."""

    mentions: tuple[TextMention, ...]
    links: tuple[TextLink, ...]

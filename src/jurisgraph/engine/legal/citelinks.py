"""Relations stated by a citation: ``"REsp 1.465.535/SP, Rel. Ministro X, QUARTA TURMA (Tema 905)"``."""

from __future__ import annotations

from collections.abc import Sequence

from jurisgraph.engine.legal.types import TextLink, TextMention
from jurisgraph.engine.types import EntityType, RelationType

WINDOW = 220
RELATOR_GAP = 120


def citation_links(
    text: str, mentions: Sequence[TextMention], cited: Sequence[tuple[int, int, str]]
) -> list[TextLink]:
    """For each cited process, link the relator, órgão and tema named right after it.

    The window after a citation ends at the next citation, at a ``;`` or after 220 characters;
    the relator must start within 120 characters. ``mentions`` must be sorted by start.
    """
    links: list[TextLink] = []
    starts = sorted(start for start, _, _ in cited)
    for start, end, key in cited:
        following = [s for s in starts if s > start]
        limit = min(following[0], end + WINDOW) if following else end + WINDOW
        semicolon = text.find(";", end, limit)
        limit = semicolon if semicolon != -1 else limit
        relator: TextMention | None = None
        for mention in mentions:
            if mention.start < end:
                continue
            if mention.start >= limit:
                break
            kind, target = mention.entity.type, mention.entity.key
            if kind is EntityType.MINISTRO and mention.role == "relator" and relator is None:
                if mention.start - end <= RELATOR_GAP:
                    relator = mention
                    links.append(TextLink(target, RelationType.RELATOR_DE, key, start, mention.end))
            elif kind is EntityType.ORGAO_JULGADOR:
                links.append(TextLink(key, RelationType.JULGADO_POR, target, start, mention.end))
                if relator is not None:
                    links.append(
                        TextLink(relator.entity.key, RelationType.PERTENCE_A, target, start, mention.end)
                    )
            elif kind is EntityType.TEMA:
                links.append(TextLink(key, RelationType.TRATA_DE, target, start, mention.end))
    return links

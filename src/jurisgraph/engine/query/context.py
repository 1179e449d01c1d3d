"""The numbered context: choosing sources within a budget, numbering them, rendering them.

Sources come in priority order (records stating graph facts, the entities' own passages,
retrieved passages, community reports); :func:`select_sources` keeps them while the budget
lasts. A :class:`Citer` gives numbers on first use, so an extractive answer cites 1, 2, 3…
in reading order; :meth:`Citer.number_all` numbers the rest for a prompt.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from jurisgraph.engine.query.types import Citation, Source, SourceKind

CHARS_PER_TOKEN = 4
MAX_EXCERPT = 900


def estimate_tokens(text: str) -> int:
    """A rough token count (about four characters a token in Portuguese)."""
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def cut(source: Source, limit: int) -> Source:
    """``source`` with its text cut at a word boundary to at most ``limit`` characters; its span
    shrinks with it, so ``document.text[start:end] == text`` still holds."""
    if len(source.text) <= limit:
        return source
    at = source.text.rfind(" ", 0, limit)
    at = at if at > limit // 2 else limit
    end = source.start + at if source.start is not None else None
    return dataclasses.replace(source, text=source.text[:at].rstrip(), end=end)


def select_sources(
    sources: Iterable[Source], budget_chars: int, *, max_excerpt: int = MAX_EXCERPT
) -> list[Source]:
    """Sources in the given order, deduplicated by key and by span, excerpts cut to
    ``max_excerpt`` (twice that for records), until ``budget_chars`` is spent; the first
    source is always kept."""
    chosen: list[Source] = []
    seen_keys: set[str] = set()
    seen_spans: set[tuple[str, int | None, int | None]] = set()
    used = 0
    for source in sources:
        span = (source.document_key, source.start, source.end)
        if source.key in seen_keys or span in seen_spans:
            continue
        limit = max_excerpt * 2 if source.kind == SourceKind.RECORD else max_excerpt
        trimmed = cut(source, limit)
        cost = len(trimmed.text) + len(trimmed.title) + 40
        if chosen and used + cost > budget_chars:
            continue
        seen_keys.add(source.key)
        seen_spans.add(span)
        chosen.append(trimmed)
        used += cost
    return chosen


class Citer:
    """Numbers sources of a pool on first citation."""

    def __init__(self, pool: Iterable[Source]) -> None:
        self._pool: dict[str, Source] = {}
        for source in pool:
            self._pool.setdefault(source.key, source)
        self._numbers: dict[str, int] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._pool

    def add(self, source: Source) -> None:
        """Put a source in the pool (a pinpoint sentence of a passage, for example)."""
        self._pool.setdefault(source.key, source)

    def source(self, key: str) -> Source | None:
        """The source ``key`` of the pool, if any."""
        return self._pool.get(key)

    def cite(self, key: str | None) -> int | None:
        """The number of the source ``key`` (given now if new); None when it is not in the pool."""
        if key is None or key not in self._pool:
            return None
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
        return self._numbers[key]

    def marker(self, keys: Iterable[str | None]) -> str:
        """``" [1][3]"`` for the known keys among ``keys`` (in first-citation order), else ``""``."""
        numbers: list[int] = []
        for key in keys:
            n = self.cite(key)
            if n is not None and n not in numbers:
                numbers.append(n)
        return " " + "".join(f"[{n}]" for n in numbers) if numbers else ""

    def number_all(self) -> None:
        """Give numbers to every source not cited yet (pool order)."""
        for key in self._pool:
            self.cite(key)

    def citations(self) -> list[Citation]:
        """The numbered sources, by number."""
        ordered = sorted(self._numbers.items(), key=lambda item: item[1])
        return [Citation(n, self._pool[key]) for key, n in ordered]


def source_label(source: Source) -> str:
    """One line naming a source: title, processo, órgão, relator, date."""
    parts = [source.title]
    for value in (source.processo, source.orgao_julgador):
        if value and value not in source.title:
            parts.append(value)
    if source.relator:
        parts.append(f"Rel. {source.relator}")
    if source.date:
        parts.append(source.date)
    return " · ".join(parts)


def render_context(citations: Sequence[Citation], facts: Sequence[str] = ()) -> str:
    """The numbered context of a prompt: graph facts (already carrying [n]) then every source."""
    lines: list[str] = []
    if facts:
        lines.append("## Fatos do grafo de conhecimento")
        lines += [f"- {fact}" for fact in facts]
        lines.append("")
    lines.append("## Fontes numeradas")
    for citation in citations:
        source = citation.source
        kind = "Relatório de comunidade" if source.kind == SourceKind.COMMUNITY else source_label(source)
        lines.append(f"[{citation.n}] {kind}")
        lines.append(source.text.strip())
        lines.append("")
    return "\n".join(lines).strip()

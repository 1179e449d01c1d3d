"""Fuzzy names of ministers and órgãos in a question.

"Min. Kukina", "SÉRGIO KUKINA", "Sergio Kukina" and "relator Kukina" are one person: names are
compared accent- and case-folded (:func:`jurisgraph.engine.text.fold`), a whole name or an
unambiguous surname names a minister, and a near spelling of a surname (one typo) is accepted
through :mod:`difflib`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from jurisgraph.engine.legal.ministros import alias_index
from jurisgraph.engine.text import fold

_WORD = re.compile(r"[a-z0-9]+")
PARTICLES = frozenset({"de", "da", "do", "dos", "das", "e", "filho", "junior", "neto"})
_NOISE = frozenset({"min", "ministro", "ministra", "relator", "relatora", "desembargador", "convocado"})
SURNAME_CUTOFF = 0.85
MIN_SURNAME = 4


def words(text: str) -> list[str]:
    """Folded words of ``text``."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True, slots=True)
class MinisterMatch:
    """A minister named in a question, how (``name``, ``surname``, ``fuzzy``) and how surely."""

    key: str
    name: str
    how: str
    score: float


class MinisterNames:
    """Ministers of the graph (key, display name) plus the published-name alias table."""

    def __init__(self, ministers: Iterable[tuple[str, str]]) -> None:
        self._names: dict[str, str] = {}
        self._full: dict[tuple[str, ...], str] = {}
        surnames: dict[str, set[str]] = {}
        for key, name in ministers:
            self._names[key] = name
            self._add(key, name, surnames)
        for alias, slug in alias_index().items():
            key = f"ministro:{slug}"
            if key in self._names:
                self._add(key, alias, surnames)
        self._surname = {s: next(iter(keys)) for s, keys in surnames.items() if len(keys) == 1}

    def _add(self, key: str, name: str, surnames: dict[str, set[str]]) -> None:
        tokens = [w for w in words(name) if w not in _NOISE]
        if not tokens:
            return
        self._full.setdefault(tuple(tokens), key)
        meaningful = [w for w in tokens if w not in PARTICLES and len(w) >= MIN_SURNAME]
        for token in meaningful[1:] or meaningful:
            surnames.setdefault(token, set()).add(key)

    def __len__(self) -> int:
        return len(self._names)

    def name(self, key: str) -> str:
        """Display name of a minister key (the key itself when unknown)."""
        return self._names.get(key, key)

    def find(self, question: str) -> list[MinisterMatch]:
        """Ministers named in ``question``, best first."""
        tokens = words(question)
        found: dict[str, MinisterMatch] = {}
        for size in range(min(len(tokens), 6), 1, -1):
            for start in range(len(tokens) - size + 1):
                key = self._full.get(tuple(tokens[start : start + size]))
                if key and key not in found:
                    found[key] = MinisterMatch(key, self.name(key), "name", 1.0)
        if found:
            return sorted(found.values(), key=lambda m: (-m.score, m.key))
        for token in tokens:
            if len(token) < MIN_SURNAME or token in _NOISE or token in PARTICLES:
                continue
            key = self._surname.get(token)
            how, score = "surname", 0.8
            if key is None:
                close = difflib.get_close_matches(token, self._surname, n=1, cutoff=SURNAME_CUTOFF)
                if not close or len(token) < 5:
                    continue
                key, how, score = self._surname[close[0]], "fuzzy", 0.6
            if key not in found:
                found[key] = MinisterMatch(key, self.name(key), how, score)
        return sorted(found.values(), key=lambda m: (-m.score, m.key))

"""Entity linking in a question: exact legal identifiers, then names of graph entities.

Legal rules (:func:`jurisgraph.engine.legal.find_mentions`) find temas, súmulas, processes,
laws and articles, órgãos and "Min. X". Names without such a form ("Herman Benjamin",
"Corte Especial", "honorários") are matched against the names of graph entities through a
:class:`NameIndex`: a name is linked when all its words are in the question (strong), or, for
subjects and concepts, at least half of them with a distinctive word, and for ministers the
surname (weak). A one-word subject ("Prazo") is weak too; a subject is named by part of its
name only through two of its words or its distinctive first word ("honorários").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jurisgraph.engine.legal import find_mentions
from jurisgraph.engine.query.terms import STOPWORDS, words
from jurisgraph.engine.query.types import LinkedEntity

#: entity types linked by name (processes, decisions and temas have identifiers instead)
NAMED_TYPES = frozenset({"MINISTRO", "ORGAO_JULGADOR", "ASSUNTO", "CONCEITO_JURIDICO", "PARTE", "LEGISLACAO"})
_PARTIAL_TYPES = frozenset({"ASSUNTO", "CONCEITO_JURIDICO"})
_NAME_NOISE = frozenset({"min", "ministro", "ministra", "desembargador", "desembargadora", "convocado"})
_PLACEHOLDER = re.compile(r"^assunto cnj \d+$", re.IGNORECASE)
_WORD_SPAN = re.compile(r"[^\W_]+")
MAX_NAME_LINKS = 4
#: a subject is named by its first word alone only when few names start with that word
MAX_HEAD_NAMES = 8


@dataclass(frozen=True, slots=True)
class NamedEntity:
    """One row of the name index."""

    key: str
    name: str
    type: str
    weight: int
    tokens: frozenset[str]
    head: str


class NameIndex:
    """Words of entity names → entities (built once from the graph, then only read)."""

    def __init__(self, rows: Iterable[tuple[str, str, str, int]]) -> None:
        self._by_word: dict[str, list[NamedEntity]] = {}
        self.size = 0
        for key, name, kind, weight in rows:
            if kind not in NAMED_TYPES or _PLACEHOLDER.match(name.strip()):
                continue
            ordered = [w for w in words(name) if w not in STOPWORDS and w not in _NAME_NOISE]
            tokens = frozenset(ordered)
            if not tokens or (len(tokens) == 1 and len(ordered[0]) < 4):
                continue
            entry = NamedEntity(key, name, kind, int(weight or 0), tokens, ordered[0])
            self.size += 1
            for token in tokens:
                self._by_word.setdefault(token, []).append(entry)

    @classmethod
    def union(cls, parts: Sequence[NameIndex]) -> NameIndex:
        """One index holding the names of every part (e.g. one per workspace), as if built from
        all their rows: the largest part's words are shared, not copied one by one."""
        filled = [part for part in parts if part.size]
        if len(filled) <= 1:
            return filled[0] if filled else cls(())
        largest = max(filled, key=lambda part: part.size)
        merged = cls(())
        merged._by_word = dict(largest._by_word)
        for part in filled:
            if part is largest:
                continue
            for token, entries in part._by_word.items():
                merged._by_word[token] = merged._by_word.get(token, []) + entries
        merged.size = sum(part.size for part in filled)
        return merged

    def frequency(self, token: str) -> int:
        """Number of names holding ``token``."""
        return len(self._by_word.get(token, ()))

    def score(self, entry: NamedEntity, tokens: set[str]) -> float:
        """How surely ``entry`` is named by a question with ``tokens`` (0 when it is not)."""
        shared = entry.tokens & tokens
        share = len(shared) / len(entry.tokens)
        if share == 1.0:
            return 1.0 if len(entry.tokens) > 1 or entry.type not in _PARTIAL_TYPES else 0.6
        distinctive_head = (
            entry.head in shared and len(entry.head) >= 6 and self.frequency(entry.head) <= MAX_HEAD_NAMES
        )
        if entry.type in _PARTIAL_TYPES and share >= 0.5 and (len(shared) >= 2 or distinctive_head):
            return round(0.5 + 0.3 * share, 3)
        surname = _surname(entry)
        if entry.type == "MINISTRO" and surname in shared and len(surname) >= 5:
            return 0.7
        return 0.0

    def candidates(self, tokens: set[str]) -> list[NamedEntity]:
        """Entities sharing at least one word with ``tokens``."""
        seen: dict[str, NamedEntity] = {}
        for token in tokens:
            for entry in self._by_word.get(token, ()):
                seen.setdefault(entry.key, entry)
        return list(seen.values())


def _surname(entry: NamedEntity) -> str:
    ordered = [w for w in words(entry.name) if w in entry.tokens]
    return ordered[-1] if ordered else ""


def link_names(question: str, index: NameIndex, *, exclude: Iterable[str] = ()) -> list[LinkedEntity]:
    """Graph entities named in ``question`` by their name, best first (at most a few)."""
    spans = [(m.group(), m.start(), m.end()) for m in _WORD_SPAN.finditer(question)]
    folded = [(words(text)[0] if words(text) else "", start, end) for text, start, end in spans]
    tokens = {w for w, _, _ in folded if w and w not in STOPWORDS}
    skip = set(exclude)
    found: list[LinkedEntity] = []
    for entry in index.candidates(tokens):
        if entry.key in skip:
            continue
        score = index.score(entry, tokens)
        if score <= 0:
            continue
        places = [(s, e) for w, s, e in folded if w in entry.tokens]
        found.append(
            LinkedEntity(entry.key, entry.name, entry.type, places[0][0], places[-1][1], "name", score)
        )
    weights = {e.key: e.weight for e in index.candidates(tokens)}
    found.sort(key=lambda e: (-e.score, -weights.get(e.key, 0), e.key))
    chosen: list[LinkedEntity] = []
    names: set[str] = set()
    for entity in found:
        folded_name = " ".join(words(entity.name))
        if folded_name in names:
            continue
        if any(_inside(entity, other) and other.score >= entity.score for other in chosen):
            continue
        names.add(folded_name)
        chosen.append(entity)
        if len(chosen) >= MAX_NAME_LINKS:
            break
    return chosen


def _inside(entity: LinkedEntity, other: LinkedEntity) -> bool:
    return other.start <= entity.start and entity.end <= other.end and other.key != entity.key


def link_rules(question: str) -> list[LinkedEntity]:
    """Entities the legal rules find in ``question``; a law named through one of its articles is
    dropped in favour of the article."""
    mentions = find_mentions(question)
    article_laws = {m.entity.key.rsplit(":art_", 1)[0] for m in mentions if ":art_" in m.entity.key}
    linked: dict[str, LinkedEntity] = {}
    for m in mentions:
        if m.entity.key in article_laws:
            continue
        linked.setdefault(
            m.entity.key,
            LinkedEntity(m.entity.key, m.entity.name, str(m.entity.type), m.start, m.end, "rule", 1.0),
        )
    return list(linked.values())


def link(question: str, index: NameIndex | None) -> list[LinkedEntity]:
    """Legal identifiers first, then names (not overlapping a rule's span), in question order."""
    rules = link_rules(question)
    names = link_names(question, index, exclude=[e.key for e in rules]) if index is not None else []
    names = [n for n in names if not any(r.start <= n.start and n.end <= r.end for r in rules)]
    return sorted(rules + names, key=lambda e: (e.start, -e.score))

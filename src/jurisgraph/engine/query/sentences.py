"""Sentence splitting (legal abbreviations respected) and choice of the best supporting sentences."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jurisgraph.engine.chunking import ABBREVIATIONS
from jurisgraph.engine.query.terms import terms
from jurisgraph.engine.text import clip

_END = re.compile(r"[.!?;]+[\"'”»)]*\s+|\n\s*\n")
_TOKEN_BEFORE = re.compile(r"([^\W\d_]+)\.?$")
MIN_SENTENCE = 40
MAX_SENTENCE = 420
#: texts whose candidate sentences are remembered (a passage is ~1–2 kB)
CANDIDATE_TEXTS = 4096


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text`` (stripped, never inside "art. 5º")."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        cut = match.start() + len(match.group().rstrip())
        nxt = match.end()
        if nxt < len(text) and text[nxt].islower():
            continue
        before = _TOKEN_BEFORE.search(text[max(start, match.start() - 12) : match.start() + 1])
        if before and text[match.start()] == "." and before.group(1).lower() in ABBREVIATIONS:
            continue
        head = text[start : match.start()].strip()
        if text[match.start()] == "." and len(head) <= 3 and (head.isdigit() or head.isalpha()):
            continue  # a list marker ("1.", "a.", "IV.") opens the sentence, it does not end it
        spans.append((start, cut))
        start = nxt
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in (_strip(text, a, b) for a, b in spans) if b > a]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass(frozen=True, slots=True)
class Supporting:
    """A sentence of a source that supports the answer, with its offsets in that source's text."""

    source_key: str
    text: str
    start: int
    end: int
    score: float


def required_terms(wanted: int) -> int:
    """Terms of the question a sentence must share: all of one or two, two of up to five,
    a third of longer questions."""
    if wanted <= 2:
        return wanted
    return max(2, math.ceil(wanted / 3)) if wanted > 5 else 2


def best_sentences(
    question: str,
    texts: Sequence[tuple[str, str]],
    *,
    limit: int = 3,
    per_source: int = 1,
    skip_prefixes: Sequence[str] = (),
    groups: Mapping[str, str] | None = None,
) -> list[Supporting]:
    """The ``limit`` sentences of ``texts`` ((source key, text) pairs) sharing most terms with ``question``.

    A sentence must share :func:`required_terms` content terms; at most ``per_source`` per
    source (or per group of sources, e.g. a document, when ``groups`` maps keys to groups); no
    two nearly identical sentences; none starting with one of ``skip_prefixes`` (a record's own
    title line), none of citation markup or mostly in capitals (headings).
    """
    wanted = set(terms(question))
    if not wanted:
        return []
    needed = required_terms(len(wanted))
    found: list[Supporting] = []
    prefixes = tuple(p for p in skip_prefixes if p)
    for order, (key, text) in enumerate(texts):
        for sentence in _candidates(text):
            if prefixes and sentence.text.startswith(prefixes):
                continue
            shared = len(wanted & sentence.terms)
            if shared < needed:
                continue
            score = shared / len(wanted) + 0.02 * min(len(sentence.terms), 30) / 30 - 0.01 * order
            shown = clip(sentence.text, MAX_SENTENCE, mark=" (…)", trim=",;: ", word_cut_from=0)
            found.append(Supporting(key, shown, sentence.start, sentence.end, score))
    found.sort(key=lambda s: -s.score)
    chosen: list[Supporting] = []
    per: dict[str, int] = {}
    for item in found:
        group = (groups or {}).get(item.source_key, item.source_key)
        if per.get(group, 0) >= per_source or any(_similar(item.text, c.text) for c in chosen):
            continue
        chosen.append(item)
        per[group] = per.get(group, 0) + 1
        if len(chosen) >= limit:
            break
    return chosen


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A sentence that may support an answer: its offsets, its text on one line, its terms."""

    start: int
    end: int
    text: str
    terms: frozenset[str]


@functools.lru_cache(maxsize=CANDIDATE_TEXTS)
def _candidates(text: str) -> tuple[_Candidate, ...]:
    """The sentences of ``text`` long enough to support an answer and neither citation markup nor
    mostly in capitals (headings). Remembered: the same passages come back question after question."""
    found: list[_Candidate] = []
    for start, end in split_sentences(text):
        sentence = " ".join(text[start:end].split())
        if len(sentence) < MIN_SENTENCE or "<<" in sentence or _capitals(sentence) > 0.6:
            continue
        found.append(_Candidate(start, end, sentence, frozenset(terms(sentence))))
    return tuple(found)


def _capitals(text: str) -> float:
    """Share of the letters of ``text`` in capitals."""
    letters = sum(map(str.isalpha, text))
    capitals = sum(1 for c in filter(str.isupper, text) if c.isalpha())
    return capitals / letters if letters else 0.0


def _similar(left: str, right: str) -> bool:
    a, b = set(terms(left)), set(terms(right))
    return bool(a and b) and len(a & b) / min(len(a), len(b)) > 0.8

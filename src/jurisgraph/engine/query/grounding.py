"""Grounding check: every ``[n]`` of an answer exists in the numbered context, and every
sentence that states something carries a citation."""

from __future__ import annotations

import re

from jurisgraph.engine.query.sentences import split_sentences
from jurisgraph.engine.query.types import Grounding

_MARK = re.compile(r"\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")
_ONLY_MARKS = re.compile(r"^(?:\s*\[\d+(?:\s*[,;–-]\s*\d+)*\]\s*[.;,]?)+$")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_QUOTED = re.compile(r"“[^”]*”")
MIN_CLAIM = 25


def cited_numbers(text: str) -> list[int]:
    """Every number cited in ``text`` (``[1]``, ``[1, 2]``, ``[3-5]``), in order, repeats dropped."""
    found: list[int] = []
    for match in _MARK.finditer(text):
        for part in re.split(r"\s*[,;]\s*", match.group(1)):
            bounds = re.split(r"\s*[–-]\s*", part)
            numbers = [int(bounds[0])]
            if len(bounds) == 2 and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 50:
                numbers = list(range(int(bounds[0]), int(bounds[1]) + 1))
            found += [n for n in numbers if n not in found]
    return found


def check(answer: str, available: int) -> Grounding:
    """Compare the citations of ``answer`` with a context numbered ``1..available``.

    Headings (lines ending with ":") and short fragments are not claims; a quotation “…” is
    one unit whatever its sentences; a sentence made only of markers ("[2].") counts for the
    sentence before it.
    """
    cited = cited_numbers(answer)
    unknown = tuple(n for n in cited if not 1 <= n <= available)
    uncited: list[str] = []
    sentences = 0
    for raw in answer.splitlines():
        line = _BULLET.sub("", raw).strip()
        if not line or line.endswith(":"):
            continue
        previous_uncited = False
        masked = _QUOTED.sub(lambda m: re.sub(r"[.!?;\s]", "_", m.group()), line)
        for start, end in split_sentences(masked):
            text = line[start:end]
            if _ONLY_MARKS.match(text):
                if previous_uncited:
                    uncited.pop()
                    previous_uncited = False
                continue
            if len(text) < MIN_CLAIM:
                continue
            sentences += 1
            previous_uncited = not _MARK.search(text)
            if previous_uncited:
                uncited.append(text)
    return Grounding(tuple(cited), unknown, tuple(uncited), sentences)

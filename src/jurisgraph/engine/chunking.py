"""Sentence-aware, legal-aware chunking with exact character offsets.

Contract of :func:`chunk_text`:

* ``chunk.text == text[chunk.start:chunk.end]``; chunks start and end on non-whitespace;
* every non-whitespace character of ``text`` lies in at least one chunk;
* ``len(chunk.text) <= size`` always (a sentence longer than ``size`` is split at whitespace,
  and a run of ``size`` characters without any whitespace is cut hard);
* ends are chosen, in order of preference, at a paragraph break (blank line) in the last half
  of the window, a sentence end followed by a line break in the last half, the last sentence
  end in the window, the last line break or space, a hard cut;
* sentence ends and split points never fall inside legal references: not after abbreviations
  (``art.``, ``n.``, ``Min.``, ``Rel.``, ``fls.``, ``inc.``, ``p.``, ``Des.``, ``Sr.``, single
  letters, ``S.A.``), nor between ``§`` or a word and the number after it (``§ 2º``,
  ``REsp 1.234.567/SP``, ``Lei 8.078``); numbers like ``1.234.567`` have no space to split at;
* each chunk after the first starts at the earliest sentence start that lies within ``overlap``
  characters before the previous end (whole sentences), else at the earliest word start there;
* deterministic; empty or whitespace-only text gives ``[]``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from jurisgraph.engine.types import Chunk
from jurisgraph.errors import InvalidInput

_ABBREVIATION_LIST = """
    art arts n ns nr num min mins rel rela rels fl fls inc incs p pp pg pag pág págs des desa desemb
    sr sra srs sras srta dr dra drs dras exmo exma exmos exmas exa ex ema emo eg v vs cf ref refs vol
    vols ed al alín cap caps par parág tít ob op cit ss proc procs rec res obs aprox adv advs av doc
    docs fig gab jur loc nac of pres prof profa publ reg sec seç súm súms dec const id ibid vide c
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
PARAGRAPH, LINE, SENTENCE = 3, 2, 1

_CANDIDATE = re.compile(r"""[.!?…]+["'”’»)\]]*\s+|[ \t]*\n[ \t\r\f\v]*\n\s*""")
_LEADING = "([\"'“«"
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")


def _token_before(text: str, end: int) -> str:
    """The whitespace-delimited token ending at ``end`` (at most 24 characters looked at)."""
    tail = text[max(0, end - 24) : end]
    if not tail or tail[-1].isspace():
        return ""
    return tail.split()[-1].lstrip(_LEADING)


def _is_abbreviation(token: str) -> bool:
    """``token`` is the text before a final dot: ``art``, ``Min``, ``n``, ``S.A``..."""
    lowered = token.lower()
    if lowered in ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():
        return True
    return _INITIALS.fullmatch(token) is not None


def _glued(text: str, ws: int) -> bool:
    """True when the whitespace at ``ws`` sits inside a legal reference and must not be split."""
    token = _token_before(text, ws)
    if not token:
        return False
    if token.endswith(".") and _is_abbreviation(token[:-1]):
        return True
    if token in {"§", "§§", "R$"}:
        return True
    rest = text[ws : ws + 8].lstrip()
    return bool(rest) and rest[0].isdigit() and token.isalpha() and len(token) <= 12


def _rstrip(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _lstrip(text: str, start: int) -> int:
    length = len(text)
    while start < length and text[start].isspace():
        start += 1
    return start


def _is_list_marker(text: str, dot: int, token: str) -> bool:
    """``3.`` opening a numbered item: up to 3 digits at a line start or after a sentence end."""
    if not (token.isdigit() and len(token) <= 3):
        return False
    before = text[max(0, dot - len(token) - 4) : dot - len(token)].rstrip(" \t")
    return not before or before.endswith(("\n", ".", ";", ":", "!", "?"))


def _ends_sentence(text: str, start: int, nxt: int) -> bool:
    """Whether the punctuation run at ``start``, followed by whitespace up to ``nxt``, ends a sentence."""
    if nxt < len(text) and (text[nxt].islower() or text[nxt] in ",;:"):
        return False
    if text[start] != "." or text.startswith("..", start):
        return True
    token = _token_before(text, start)
    return not (_is_abbreviation(token) or _is_list_marker(text, start, token))


def _boundaries(text: str) -> tuple[list[int], list[int], list[int]]:
    """Sentence and paragraph boundaries: (cut = end of the sentence, next start, level)."""
    cuts: list[int] = []
    nexts: list[int] = []
    levels: list[int] = []
    length = len(text)
    for match in _CANDIDATE.finditer(text):
        start, nxt = match.start(), match.end()
        first = text[start]
        if first in " \t\n":
            cut, level = _rstrip(text, start), PARAGRAPH
        else:
            cut = start
            while cut < nxt and not text[cut].isspace():
                cut += 1
            gap = text[cut:nxt]
            newlines = gap.count("\n")
            level = PARAGRAPH if newlines > 1 else LINE if newlines else SENTENCE
            if level != PARAGRAPH and not _ends_sentence(text, start, nxt):
                continue
        if cut <= 0 or nxt >= length:
            continue
        if cuts and cut <= cuts[-1]:
            continue
        cuts.append(cut)
        nexts.append(nxt)
        levels.append(level)
    return cuts, nexts, levels


class _Chunker:
    def __init__(self, text: str, size: int, overlap: int) -> None:
        self.text = text
        self.size = size
        self.overlap = overlap
        self.cuts, self.nexts, self.levels = _boundaries(text)

    def end_after(self, start: int, min_end: int) -> tuple[int, int]:
        """Where the chunk starting at ``start`` ends (> ``min_end``) and where text resumes."""
        limit = start + self.size
        half = start + self.size // 2
        last = bisect_right(self.cuts, limit) - 1
        first = bisect_right(self.cuts, min_end)
        if last >= first:
            for wanted in (PARAGRAPH, LINE):
                j = last
                while j >= first and self.cuts[j] >= half:
                    if self.levels[j] >= wanted:
                        return self.cuts[j], self.nexts[j]
                    j -= 1
            return self.cuts[last], self.nexts[last]
        return self._split_at_space(start, min_end, limit)

    def _split_at_space(self, start: int, min_end: int, limit: int) -> tuple[int, int]:
        text = self.text
        half = max(min_end + 1, start + self.size // 2)
        for lo, chars, careful in (
            (half, "\n", True),
            (min_end + 1, " \t\n", True),
            (min_end + 1, " \t\n", False),
        ):
            hi = limit + 1
            while hi > lo:
                ws = max(text.rfind(char, lo, hi) for char in chars)
                if ws < lo:
                    break
                end = _rstrip(text, ws)
                if end <= min_end:
                    break
                if not careful or not _glued(text, end):
                    return end, _lstrip(text, ws)
                hi = end
        # no space to split at: a hard cut, trimmed of the other white space it may fall on
        # (``\x1f``, ``\u2003``…: white space the split search does not look for)
        end = _rstrip(text, limit)
        return (end, _lstrip(text, limit)) if end > min_end else (limit, limit)

    def next_start(self, start: int, end: int, resume: int) -> int:
        """Start of the chunk after ``[start, end)``: overlap by whole sentences, else by words."""
        if self.overlap == 0:
            return resume
        lo = max(end - self.overlap, start + 1)
        j = bisect_left(self.nexts, lo)
        if j < len(self.nexts) and self.nexts[j] < end:
            return self.nexts[j]
        text = self.text
        pos = lo
        while pos < end:
            ws = min((found for char in " \t\n" if (found := text.find(char, pos, end)) >= 0), default=-1)
            if ws < 0:
                break
            word = _lstrip(text, ws)
            if word >= end:
                break
            if not _glued(text, _rstrip(text, ws)) and _rstrip(text, ws) > start:
                return word
            pos = word
        return resume


def chunk_text(document_key: str, text: str, *, size: int = 1000, overlap: int = 200) -> list[Chunk]:
    """Split ``text`` into overlapping chunks of at most ``size`` characters (see module docs)."""
    if size < 1 or overlap < 0 or overlap >= size:
        raise InvalidInput(f"chunk size must be >= 1 and 0 <= overlap < size (got {size}, {overlap})")
    start = _lstrip(text, 0)
    last = _rstrip(text, len(text))
    if start >= last:
        return []
    chunker = _Chunker(text, size, overlap)
    chunks: list[Chunk] = []
    min_end = start
    while True:
        if last - start <= size:
            end, resume = last, len(text)
        else:
            end, resume = chunker.end_after(start, min_end)
        chunks.append(Chunk(document_key, len(chunks), start, end, text[start:end]))
        if end >= last:
            return chunks
        start, min_end = _lstrip(text, chunker.next_start(start, end, resume)), end

"""Text helpers used across the engine: accent folding, slugs, white space, clipping, Portuguese lists.

Two accent foldings exist on purpose. :func:`fold` lower-cases and keeps the length of its
input (one character in, one character out), so a match found in the folded text has the
same offsets in the original. :func:`strip_accents` decomposes (NFKD) and drops the marks,
so its output may be shorter or longer; with ``ascii_only`` it keeps ASCII characters only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_SPECIAL = {"º": "o", "°": "o", "ª": "a", "\xa0": " ", "\u2009": " ", "\u202f": " ", "’": "'", "‘": "'"}


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x41, 0x5B):
        table[code] = chr(code + 32)
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[0].lower()
        if len(base) == 1 and base.isascii() and base != char:
            table[code] = base
    for char, repl in _SPECIAL.items():
        table[ord(char)] = repl
    return table


_FOLD_TABLE = _build_fold_table()
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _build_latin1_table() -> bytes:
    table = bytearray(range(256))
    for code, repl in _FOLD_TABLE.items():
        if code < 256 and len(repl) == 1 and ord(repl) < 256:
            table[code] = ord(repl)
    return bytes(table)


_LATIN1_TABLE = _build_latin1_table()

CLIP_TRIM = ",;:.- "
"""Characters stripped from the end of a clipped text before its mark."""


def fold(text: str) -> str:
    """Lower-case and strip accents without changing the length (offsets stay valid).

    Characters outside Latin-1 (curly quotes, dashes) become ``"?"``.
    """
    lower = text.lower()
    if len(lower) != len(text):
        return text.translate(_FOLD_TABLE)
    return lower.encode("latin-1", "replace").translate(_LATIN1_TABLE).decode("latin-1")


def strip_accents(text: str, *, ascii_only: bool = False) -> str:
    """``text`` decomposed (NFKD) without its combining marks; case is kept.

    With ``ascii_only`` every character that is still not ASCII is dropped as well.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    if ascii_only:
        return decomposed.encode("ascii", "ignore").decode("ascii")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug(text: str) -> str:
    """``"Herman Benjamin"`` → ``"herman_benjamin"``: folded, non-alphanumerics become ``_``."""
    return _NON_WORD.sub("_", fold(text)).strip("_")


def squash(text: str) -> str:
    """Collapse every run of white space (line breaks included) into one space and strip."""
    return " ".join(text.split())


def clip(text: str, limit: int, *, mark: str = "…", trim: str = CLIP_TRIM, word_cut_from: float = 0.5) -> str:
    """``text`` squashed onto one line and, past ``limit`` characters, cut and ended with ``mark``.

    The cut falls on the last space before ``limit`` when that space lies beyond
    ``word_cut_from``·``limit``, else at ``limit`` itself; ``trim`` characters are then
    stripped from the end of the cut text.
    """
    flat = squash(text)
    if len(flat) <= limit:
        return flat
    space = flat.rfind(" ", 0, limit)
    end = space if space > int(limit * word_cut_from) else limit
    return flat[:end].rstrip(trim) + mark


def join_list(items: Sequence[str], limit: int | None = None) -> str:
    """Portuguese enumeration: ``"a"``, ``"a e b"``, ``"a, b e c"``.

    Past ``limit`` items the rest is counted: ``"a, b, c e mais 2"``.
    """
    shown = list(items if limit is None else items[:limit])
    rest = len(items) - len(shown)
    if rest > 0:
        return f"{', '.join(shown)} e mais {rest}"
    if len(shown) <= 1:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} e {shown[-1]}"


_FILENAME_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f/\\:*?\"<>|]+")
SAFE_FILENAME_MAX = 160
"""Longest file name :func:`safe_filename` returns, in characters (its extension kept)."""


def safe_filename(name: str, *, default: str = "document") -> str:
    """A file name fit for display: its last path part only, NFC, without path separators,
    control characters or leading dots, white space collapsed, at most :data:`SAFE_FILENAME_MAX`
    characters (the extension kept); ``default`` when nothing is left. Never use it as a path."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _FILENAME_BAD.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(". ").rstrip(" ")
    if not name or set(name) <= {"."}:
        return default
    if len(name) > SAFE_FILENAME_MAX:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10 and stem:
            name = stem[: SAFE_FILENAME_MAX - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:SAFE_FILENAME_MAX].rstrip()
    return name

"""Small string helpers shared by the legal rules: folding, slugs, numbers, display case.

``fold`` keeps the length of its input (one character in, one character out), so a match
found in the folded text has the same offsets in the original text.
"""

from __future__ import annotations

import re
import unicodedata

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
PARTICLES = frozenset({"de", "da", "do", "dos", "das", "e", "di", "del", "d'"})


def _build_latin1_table() -> bytes:
    table = bytearray(range(256))
    for code, repl in _FOLD_TABLE.items():
        if code < 256 and len(repl) == 1 and ord(repl) < 256:
            table[code] = ord(repl)
    return bytes(table)


_LATIN1_TABLE = _build_latin1_table()


def fold(text: str) -> str:
    """Lower-case and strip accents without changing the length (offsets stay valid).

    Characters outside Latin-1 (curly quotes, dashes) become ``"?"``.
    """
    lower = text.lower()
    if len(lower) != len(text):
        return text.translate(_FOLD_TABLE)
    return lower.encode("latin-1", "replace").translate(_LATIN1_TABLE).decode("latin-1")


def slug(text: str) -> str:
    """``"Herman Benjamin"`` → ``"herman_benjamin"``: folded, non-alphanumerics become ``_``."""
    return _NON_WORD.sub("_", fold(text)).strip("_")


def squash(text: str) -> str:
    """Collapse every run of white space (line breaks included) into one space and strip."""
    return " ".join(text.split())


def thousands(number: int) -> str:
    """``1465535`` → ``"1.465.535"`` (Brazilian thousands separator)."""
    return f"{number:,}".replace(",", ".")


def parse_int(text: str) -> int | None:
    """``"1.465.535"`` / ``"001465"`` → int; ``None`` when there is no digit."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits else None


def title_name(text: str) -> str:
    """``"LUIS FELIPE SALOMÃO"`` → ``"Luis Felipe Salomão"`` (Portuguese particles stay lower)."""
    words = squash(text).split(" ")
    out = []
    for index, word in enumerate(words):
        lower = word.lower()
        if index and lower in PARTICLES:
            out.append(lower)
        else:
            out.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(out)


def full_year(two_or_four: str) -> int | None:
    """``"90"`` → 1990, ``"15"`` → 2015, ``"2015"`` → 2015; pivot at 30 for two digits."""
    if not two_or_four.isdigit():
        return None
    value = int(two_or_four)
    if len(two_or_four) == 2:
        return 2000 + value if value <= 30 else 1900 + value
    if len(two_or_four) == 4 and 1800 <= value <= 2100:
        return value
    return None


def ordinal_article(number: int, suffix: str = "") -> str:
    """Article number as lawyers write it: ``1º``, ``85``, ``1.036``, ``1º-F``, ``543-C``."""
    base = f"{number}º" if 1 <= number <= 9 else thousands(number)
    return f"{base}-{suffix.upper()}" if suffix else base

"""Small string helpers of the legal rules: numbers, years, article numbers, display case.

Generic text helpers (accent folding, slugs, white space) live in :mod:`jurisgraph.engine.text`.
"""

from __future__ import annotations

from jurisgraph.engine.text import squash

PARTICLES = frozenset({"de", "da", "do", "dos", "das", "e", "di", "del", "d'"})


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

"""Small value normalisers for STJ records: placeholders, lists, dates, numbers, line wrapping."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PLACEHOLDERS = frozenset({"", "none", "null", "-", "nan"})
_LONGEST_PLACEHOLDER = 12  # "  -  " and "None" with some padding

_DATA_LABEL = re.compile(r"DATA:\s*(\d{2})/(\d{2})/(\d{4})")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD_DIGITS = re.compile(r"\d{8}")
_BREAK_BEFORE = re.compile(r"\s*(?:\d+[.)\-–]|[IVXLC]+\s*[-–]|[a-z]\)|[-–•])\s")
_SENTENCE_END = re.compile(r"[.;:!?]\s*$")
_ABBREVIATION_END = re.compile(
    r"(?i)\b(?:arts?|n|min|rel|fls?|inc|p|des|sr|sra|srs|dr|dra|al|par|cf|v)\.\s*$"
)

try:
    BRASILIA: Any = ZoneInfo("America/Sao_Paulo")
except ZoneInfoNotFoundError:  # no tz database: Brasília has had no DST since 2019
    from datetime import timezone

    BRASILIA = timezone(timedelta(hours=-3), "BRT")


def clean(value: Any) -> Any:
    """Map the published placeholders (null, "None", "", "  -  ") to None; strip nothing else."""
    if value is None:
        return None
    if (
        isinstance(value, str)
        and len(value) <= _LONGEST_PLACEHOLDER
        and value.strip().lower() in PLACEHOLDERS
    ):
        return None
    return value


def clean_str(value: Any) -> str | None:
    """A stripped string, or None for placeholders; numbers become their decimal text."""
    value = clean(value)
    if value is None or isinstance(value, (list, dict)):
        return None
    text = str(value).strip()
    return text or None


def as_str_list(value: Any) -> list[str]:
    """Always a list of non-empty strings: accepts a list, a Python/JSON repr of one, or one string."""
    value = clean(value)
    if value is None:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            try:
                parsed = ast.literal_eval(stripped)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                parsed = None
            if isinstance(parsed, (list, tuple)):
                return as_str_list(list(parsed))
        return [value]
    if isinstance(value, (list, tuple)):
        items = (clean_str(item) if not isinstance(item, str) else clean(item) for item in value)
        return [item for item in items if isinstance(item, str) and item.strip()]
    text = clean_str(value)
    return [text] if text else []


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(value: Any) -> date | None:
    """Parse YYYYMMDD, ISO (date or datetime), dd/mm/yyyy, or epoch milliseconds."""
    value = clean(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return epoch_ms_to_date(value)
    text = str(value).strip()
    if _YMD_DIGITS.fullmatch(text):
        return _safe_date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if text.isdigit() and len(text) >= 11:
        return epoch_ms_to_date(int(text))
    match = _DMY.search(text)
    if match:
        return _safe_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        return _round_to_day(moment.astimezone(BRASILIA))
    return moment.date()


def _round_to_day(moment: datetime) -> date:
    return (moment + timedelta(hours=12)).date() if moment.hour >= 12 else moment.date()


def epoch_ms_to_date(value: float) -> date | None:
    """A portal epoch-ms timestamp → the Brasília calendar day it stands for.

    The portal writes local midnight with a time-zone table that still applies the daylight
    saving time Brazil abolished in 2019 (``metadados20240110.json`` holds 2024-01-10T02:00Z,
    which is 23:00 of the 9th in real Brasília time), so the local time is rounded to the nearest
    midnight.
    """
    try:
        moment = datetime.fromtimestamp(float(value) / 1000, tz=UTC).astimezone(BRASILIA)
    except (OverflowError, OSError, ValueError):
        return None
    return _round_to_day(moment)


def publication_dates(value: Any) -> list[date]:
    """Every ``DATA:dd/mm/yyyy`` in a multi-line ``dataPublicacao`` (or one ISO/other date)."""
    text = clean_str(value)
    if text is None:
        return []
    found = [_safe_date(int(y), int(m), int(d)) for d, m, y in _DATA_LABEL.findall(text)]
    dates = [item for item in found if item is not None]
    if dates:
        return dates
    single = parse_date(text)
    return [single] if single else []


def format_number(digits: str) -> str:
    """Group a process number with dots as lawyers write it: ``1872357`` → ``1.872.357``."""
    if not digits.isdigit():
        return digits
    return f"{int(digits):,}".replace(",", ".")


def unwrap(text: str) -> str:
    """Join the hard line breaks (about every 70 characters) of ementas and decisões.

    A line break is kept where the line ends a sentence (``.;:!?``) and the next line starts a
    new item or sentence (capital letter, ``2.``, ``a)``, ``-``); other breaks become spaces.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line:
            if out and out[-1] != "\n\n":
                out.append("\n\n")
            continue
        if out and out[-1] != "\n\n":
            previous = out[-1]
            keep = (
                _SENTENCE_END.search(previous) is not None
                and _ABBREVIATION_END.search(previous) is None
                and (line[0].isupper() or _BREAK_BEFORE.match(line) is not None)
            )
            out.append("\n" if keep else " ")
        out.append(line)
    return "".join(out).strip()

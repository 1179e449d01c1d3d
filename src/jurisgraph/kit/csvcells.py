"""CSV lines whose cells a spreadsheet never runs as formulas: a text cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (after any spaces) gets a leading
apostrophe, so ``=HYPERLINK(…)`` stays text (OWASP's CSV injection advice)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, with a leading ``'`` when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_line(values: Iterable[Any]) -> str:
    """One CSV line of ``values``, every cell made safe, ended by CRLF as RFC 4180 says (the
    writer then quotes a cell holding either a CR or an LF, so a row never splits)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([safe_cell(v) for v in values])
    return buffer.getvalue()

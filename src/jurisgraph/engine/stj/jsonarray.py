"""Read a JSON array of records, recovering what a broken file still holds.

Valid files go through one ``json.loads`` call (fast path). On a decode error the array is
re-read element by element with ``JSONDecoder.raw_decode``: complete objects are kept, stray
characters (the STJ's empty months ``[ {...} } ]``) are reported and skipped, a broken object
is dropped and reading resumes at the next ``{"``, and a file cut short keeps every object
before the cut.
"""

from __future__ import annotations

import json
import re
from typing import Any

from jurisgraph.engine.stj.results import FileError

_OBJECT_START = re.compile(r'\{\s*"')
_WHITESPACE = re.compile(r"\s*")
_MAX_PROBLEMS = 10


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {column}"


def _skip_ws(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos


def load_records(text: str) -> tuple[list[Any], list[FileError]]:
    """Return the array's elements and file-level errors (empty when the JSON is valid)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return _recover(text, exc)
    if isinstance(value, list):
        return value, []
    if isinstance(value, dict):
        return [value], [
            FileError("not_an_array", "top level is an object, not an array; read as one record")
        ]
    return [], [FileError("not_an_array", f"top level is a JSON {type(value).__name__}, not an array")]


def _recover(text: str, first: json.JSONDecodeError) -> tuple[list[Any], list[FileError]]:
    start = _skip_ws(text, 0)
    if start >= len(text) or text[start] not in "[{":
        return [], [FileError("not_json", f"not JSON: {first.msg} at {_where(text, first.pos)}")]
    decoder = json.JSONDecoder()
    records: list[Any] = []
    problems: list[str] = []
    pos = start + 1 if text[start] == "[" else start
    cut_at: int | None = None
    while True:
        pos = _skip_ws(text, pos)
        if pos >= len(text):
            break
        char = text[pos]
        if char in ",]":
            pos += 1
            continue
        if char in '{["-0123456789tfn':
            try:
                value, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                if exc.msg.startswith("Unterminated string") or _skip_ws(text, exc.pos) >= len(text):
                    cut_at = pos
                    break
                problems.append(
                    f"broken record at {_where(text, pos)} ({exc.msg} at {_where(text, exc.pos)})"
                )
            else:
                records.append(value)
                pos = end
                continue
        else:
            problems.append(f"unexpected {char!r} at {_where(text, pos)}")
        resume = _OBJECT_START.search(text, pos + 1)
        if resume is None:
            break
        pos = resume.start()
    return records, _errors(text, records, problems, cut_at)


def _errors(text: str, records: list[Any], problems: list[str], cut_at: int | None) -> list[FileError]:
    recovered = f"recovered {len(records)} complete record(s)"
    errors: list[FileError] = []
    if problems:
        shown = "; ".join(problems[:_MAX_PROBLEMS])
        more = (
            f" and {len(problems) - _MAX_PROBLEMS} more problem(s)" if len(problems) > _MAX_PROBLEMS else ""
        )
        errors.append(FileError("malformed_json", f"invalid JSON: {shown}{more}; {recovered}"))
    if cut_at is not None or not errors:
        where = (
            f"; the incomplete record starting at {_where(text, cut_at)} was dropped"
            if cut_at is not None
            else ""
        )
        errors.append(FileError("truncated_json", f"file is cut short: {recovered}{where}"))
    return errors

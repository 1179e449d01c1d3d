"""Read the portal's CSV files (``;``-separated, quoted, CRLF, usually ISO-8859-1)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from jurisgraph.engine.stj.results import FileError, Skip
from jurisgraph.engine.stj.textenc import decode_bytes


@dataclass(slots=True)
class CsvTable:
    """Rows as dicts of stripped strings (``""`` → None), keyed by the header's column names.

    ``rows`` holds ``(index, row)`` pairs; ``index`` is the 0-based data row number.
    """

    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str | None]]] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    encoding: str | None = None


def _delimiter(first_line: str) -> str:
    return max((";", ",", "\t"), key=first_line.count)


def read_csv(data: bytes, *, declared: str = "iso-8859-1", name: str = "csv") -> CsvTable:
    """Decode (see :func:`decode_bytes`) and split a CSV file; bad rows are skipped, not fatal."""
    decoded = decode_bytes(data, declared)
    table = CsvTable(errors=list(decoded.errors), encoding=decoded.encoding)
    text = decoded.text
    if not text.strip():
        table.errors.append(FileError("bad_csv", f"{name} is empty"))
        return table
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.partition("\n")[0]))
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        table.errors.append(FileError("bad_csv", f"{name}: unreadable header: {exc}"))
        return table
    table.columns = [column.strip().lstrip("\ufeff") for column in header]
    width = len(table.columns)
    index = 0
    try:
        for index, raw in enumerate(reader):
            if not any(cell.strip() for cell in raw):
                continue
            if len(raw) != width:
                table.skipped.append(Skip(index, None, f"{name}: {len(raw)} columns, expected {width}"))
                continue
            row = {column: (cell.strip() or None) for column, cell in zip(table.columns, raw, strict=True)}
            table.rows.append((index, row))
    except csv.Error as exc:
        table.errors.append(FileError("bad_csv", f"{name}: unreadable after data row {index}: {exc}"))
    return table

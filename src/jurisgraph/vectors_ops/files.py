"""Export files: the writer or reader of a format, chosen from the format name or the file suffix."""

from __future__ import annotations

from pathlib import Path

from jurisgraph.errors import NotFound
from jurisgraph.vectors_ops.jsonl import JsonlReader, JsonlWriter
from jurisgraph.vectors_ops.parquet import ParquetReader, ParquetWriter
from jurisgraph.vectors_ops.records import Format, Header, detect_format
from jurisgraph.vectors_ops.streams import RecordReader, RecordWriter


def open_writer(path: Path, header: Header, fmt: Format) -> RecordWriter:
    """A writer of ``fmt`` at ``path`` that writes ``header`` first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        return ParquetWriter(path, header)
    return JsonlWriter(path, header)


def open_reader(path: Path, fmt: str | None = None) -> RecordReader:
    """A reader of the export at ``path`` (format from ``fmt`` or the suffix)."""
    if not path.is_file():
        raise NotFound(f"no export file at {path}")
    if detect_format(path, fmt) == "parquet":
        return ParquetReader(path)
    return JsonlReader(path)

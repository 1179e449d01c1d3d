"""Export files: writer and reader protocols, and the dispatch on the format.

Writers fill ``<path>.partial`` and rename it to ``path`` on :meth:`RecordWriter.finish`, so
an interrupted export never leaves a file that looks complete. Readers stream batches and
can start after a number of records (or, for JSONL, at a byte offset) to resume an import.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from jurisgraph.engine.vectors import VectorPoint
from jurisgraph.errors import ConfigError, NotFound
from jurisgraph.vectors_ops.records import Format, Header, detect_format


@dataclass(frozen=True, slots=True)
class Batch:
    """Points read from a file; ``done`` records are consumed once it is written, ``offset`` bytes (JSONL)."""

    points: list[VectorPoint]
    done: int
    offset: int | None


class RecordWriter(Protocol):
    """Streams points into an export file."""

    def write(self, points: Sequence[VectorPoint]) -> None:
        """Append points (kept in bounded buffers only)."""
        ...

    def finish(self) -> None:
        """Flush, close and move the file into place."""
        ...

    def abort(self) -> None:
        """Close and delete the partial file."""
        ...


class RecordReader(Protocol):
    """Streams points out of an export file."""

    @property
    def header(self) -> Header:
        """The file's header."""
        ...

    def batches(self, size: int, *, skip: int = 0, offset: int | None = None) -> Iterator[Batch]:
        """Batches of at most ``size`` points after the first ``skip`` records (or at ``offset``)."""
        ...


def require_pyarrow() -> Any:
    """The ``pyarrow`` module, or ConfigError naming the package to install."""
    try:
        return importlib.import_module("pyarrow")
    except ImportError as exc:
        raise ConfigError(
            "Parquet needs the optional package 'pyarrow' (pip install pyarrow); or use --format jsonl"
        ) from exc


def partial_path(path: Path) -> Path:
    """Where a writer puts the file until it is complete."""
    return path.with_name(path.name + ".partial")


def open_writer(path: Path, header: Header, fmt: Format) -> RecordWriter:
    """A writer of ``fmt`` at ``path`` that writes ``header`` first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        from jurisgraph.vectors_ops.parquet import ParquetWriter

        return ParquetWriter(path, header)
    from jurisgraph.vectors_ops.jsonl import JsonlWriter

    return JsonlWriter(path, header)


def open_reader(path: Path, fmt: str | None = None) -> RecordReader:
    """A reader of the export at ``path`` (format from ``fmt`` or the suffix)."""
    if not path.is_file():
        raise NotFound(f"no export file at {path}")
    if detect_format(path, fmt) == "parquet":
        from jurisgraph.vectors_ops.parquet import ParquetReader

        return ParquetReader(path)
    from jurisgraph.vectors_ops.jsonl import JsonlReader

    return JsonlReader(path)

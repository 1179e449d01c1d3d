"""What every export format provides: batches read, the writer and reader protocols, partial files.

Writers fill ``<path>.partial`` and rename it to ``path`` on :meth:`RecordWriter.finish`, so
an interrupted export never leaves a file that looks complete. Readers stream batches and
can start after a number of records (or, for JSONL, at a byte offset) to resume an import.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from jurisgraph.engine.vectors import VectorPoint
from jurisgraph.vectors_ops.records import Header


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


def partial_path(path: Path) -> Path:
    """Where a writer puts the file until it is complete."""
    return path.with_name(path.name + ".partial")

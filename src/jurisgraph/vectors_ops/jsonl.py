"""JSON Lines exports: the header object on the first line, then one record per line."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from jurisgraph.engine.vectors import VectorPoint
from jurisgraph.errors import ParseError
from jurisgraph.vectors_ops.records import Header, point_to_record, record_to_point
from jurisgraph.vectors_ops.streams import Batch, partial_path


def _line(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


class JsonlWriter:
    """Writes ``<path>.partial`` line by line and renames it on :meth:`finish`."""

    def __init__(self, path: Path, header: Header) -> None:
        self._path = path
        self._partial = partial_path(path)
        self._file: IO[str] = self._partial.open("w", encoding="utf-8")
        self._file.write(_line(header.to_json()))

    def write(self, points: Sequence[VectorPoint]) -> None:
        """Append one line per point."""
        self._file.writelines(_line(point_to_record(p)) for p in points)

    def finish(self) -> None:
        """Flush to disk and move into place."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._partial, self._path)

    def abort(self) -> None:
        """Close and delete the partial file."""
        self._file.close()
        self._partial.unlink(missing_ok=True)


class JsonlReader:
    """Reads a JSONL export; a resumed read seeks straight to the byte offset it is given."""

    def __init__(self, path: Path) -> None:
        self._path = path
        with path.open("rb") as fh:
            first = fh.readline()
            self._body_start = fh.tell()
        try:
            self._header = Header.from_json(json.loads(first))
        except json.JSONDecodeError as exc:
            raise ParseError(f"{path}: the first line is not JSON: {exc.msg}") from exc

    @property
    def header(self) -> Header:
        """The header line."""
        return self._header

    def batches(self, size: int, *, skip: int = 0, offset: int | None = None) -> Iterator[Batch]:
        """Batches of records; ``offset`` (with ``skip`` records before it) wins over counting lines."""
        with self._path.open("rb") as fh:
            fh.seek(self._body_start if offset is None else offset)
            done = skip if offset is not None else 0
            points: list[VectorPoint] = []
            for raw in fh:
                if not raw.strip():
                    continue
                if done < skip:
                    done += 1
                    continue
                try:
                    points.append(record_to_point(json.loads(raw)))
                except json.JSONDecodeError as exc:
                    raise ParseError(f"{self._path}: record {done + 1} is not JSON: {exc.msg}") from exc
                done += 1
                if len(points) >= size:
                    yield Batch(points, done, fh.tell())
                    points = []
            if points:
                yield Batch(points, done, fh.tell())

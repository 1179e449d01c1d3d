"""Parquet exports (needs the optional ``pyarrow``): one row per point, written in row groups.

Columns: ``id`` (string), ``dense`` (list<float32>), ``sparse_indices`` (list<uint32>),
``sparse_values`` (list<float32>), ``payload`` (JSON text, since payloads vary per point).
The header is the file's key-value metadata under ``jurisgraph_vectors``.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from jurisgraph.engine.vectors import SparseVector, VectorPoint
from jurisgraph.errors import ConfigError, ParseError
from jurisgraph.vectors_ops.records import FORMAT_KEY, Header, dense_floats
from jurisgraph.vectors_ops.streams import Batch, partial_path

ROW_GROUP = 2048


def _schema(pa: Any, header: Header) -> Any:
    fields = [
        pa.field("id", pa.string(), nullable=False),
        pa.field("dense", pa.list_(pa.float32())),
        pa.field("sparse_indices", pa.list_(pa.uint32())),
        pa.field("sparse_values", pa.list_(pa.float32())),
        pa.field("payload", pa.string()),
    ]
    return pa.schema(fields, metadata={FORMAT_KEY: json.dumps(header.to_json())})


class ParquetWriter:
    """Buffers up to :data:`ROW_GROUP` points, then writes them as one row group."""

    def __init__(self, path: Path, header: Header) -> None:
        self._pa = require_pyarrow()
        parquet = require_pyarrow_parquet()
        self._path = path
        self._partial = partial_path(path)
        self._schema = _schema(self._pa, header)
        self._writer = parquet.ParquetWriter(str(self._partial), self._schema, compression="zstd")
        self._rows: list[VectorPoint] = []

    def write(self, points: Sequence[VectorPoint]) -> None:
        """Buffer points; a full buffer becomes a row group."""
        self._rows.extend(points)
        while len(self._rows) >= ROW_GROUP:
            self._flush(self._rows[:ROW_GROUP])
            self._rows = self._rows[ROW_GROUP:]

    def finish(self) -> None:
        """Write the last row group and the footer, then move the file into place."""
        if self._rows:
            self._flush(self._rows)
            self._rows = []
        self._writer.close()
        os.replace(self._partial, self._path)

    def abort(self) -> None:
        """Close and delete the partial file."""
        self._writer.close()
        self._partial.unlink(missing_ok=True)

    def _flush(self, points: Sequence[VectorPoint]) -> None:
        columns = {
            "id": [p.id for p in points],
            "dense": [dense_floats(p.dense) for p in points],
            "sparse_indices": [None if p.sparse is None else list(p.sparse.indices) for p in points],
            "sparse_values": [None if p.sparse is None else list(p.sparse.values) for p in points],
            "payload": [json.dumps(dict(p.payload), ensure_ascii=False) for p in points],
        }
        table = self._pa.Table.from_pydict(columns, schema=self._schema)
        self._writer.write_table(table, row_group_size=len(points))


def require_pyarrow() -> Any:
    """The ``pyarrow`` module, or ConfigError naming the package to install."""
    try:
        return importlib.import_module("pyarrow")
    except ImportError as exc:
        raise ConfigError(
            "Parquet needs the optional package 'pyarrow' (pip install pyarrow); or use --format jsonl"
        ) from exc


def require_pyarrow_parquet() -> Any:
    """``pyarrow.parquet`` (ConfigError naming pyarrow when it is missing)."""
    require_pyarrow()
    return importlib.import_module("pyarrow.parquet")


def _point(row: dict[str, Any]) -> VectorPoint:
    indices, values = row["sparse_indices"], row["sparse_values"]
    sparse = None if indices is None else SparseVector.of(indices, values or [])
    try:
        payload = json.loads(row["payload"]) if row["payload"] else {}
    except json.JSONDecodeError as exc:
        raise ParseError(f"payload of {row['id']!r} is not JSON: {exc.msg}") from exc
    return VectorPoint(id=row["id"], dense=row["dense"], sparse=sparse, payload=payload)


class ParquetReader:
    """Reads a Parquet export row group by row group; a resumed read skips whole row groups first."""

    def __init__(self, path: Path) -> None:
        parquet = require_pyarrow_parquet()
        self._file = parquet.ParquetFile(str(path))
        metadata = self._file.schema_arrow.metadata or {}
        raw = metadata.get(FORMAT_KEY.encode())
        if raw is None:
            raise ParseError(f"{path}: not a vector export (no {FORMAT_KEY!r} metadata)")
        self._header = Header.from_json(json.loads(raw))

    @property
    def header(self) -> Header:
        """The header stored in the file metadata."""
        return self._header

    def batches(self, size: int, *, skip: int = 0, offset: int | None = None) -> Iterator[Batch]:
        """Batches of at most ``size`` points after the first ``skip`` rows (``offset`` is ignored)."""
        meta = self._file.metadata
        groups: list[int] = []
        start = 0
        for i in range(meta.num_row_groups):
            rows = meta.row_group(i).num_rows
            if groups or start + rows > skip:
                groups.append(i)
            else:
                start += rows
        done = start
        if not groups:
            return
        for record_batch in self._file.iter_batches(batch_size=size, row_groups=groups):
            rows = record_batch.to_pylist()
            if done < skip:
                cut = min(skip - done, len(rows))
                rows = rows[cut:]
                done += cut
            if not rows:
                continue
            done += len(rows)
            yield Batch([_point(r) for r in rows], done, None)

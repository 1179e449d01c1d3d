"""Export a collection to a JSONL or Parquet file, streaming (memory bounded by one batch)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import structlog

from jurisgraph.engine.vectors import VectorIndex
from jurisgraph.errors import NotFound
from jurisgraph.pipeline.context import Progress, no_progress
from jurisgraph.vectors_ops.files import open_writer
from jurisgraph.vectors_ops.records import Format, Header

log = structlog.get_logger(__name__)

SCROLL_BATCH = 256


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote."""

    path: Path
    collection: str
    format: Format
    points: int
    header: Header


def physical_name(index: VectorIndex, name: str) -> str:
    """The collection behind ``name`` (an alias or a collection); NotFound when neither exists."""
    resolved = index.resolve_alias(name) or name
    if resolved not in index.list_collections():
        raise NotFound(f"no vector collection or alias named {name!r}")
    return resolved


def export_collection(
    index: VectorIndex,
    name: str,
    out: Path,
    fmt: Format,
    *,
    batch: int = SCROLL_BATCH,
    progress: Progress = no_progress,
) -> ExportReport:
    """Write every point of ``name`` to ``out`` (a ``.partial`` file renamed when complete)."""
    collection = physical_name(index, name)
    total = index.count(collection)
    points = index.scroll(collection, batch=batch)
    first = next(points, None)
    dim = None if first is None or first.dense is None else len(first.dense)
    header = Header.for_collection(collection, total, dim)
    stream = itertools.chain([first] if first is not None else [], points)
    writer = open_writer(out, header, fmt)
    written = 0
    try:
        while chunk := list(itertools.islice(stream, batch)):
            writer.write(chunk)
            written += len(chunk)
            progress("export", written, total, collection)
        writer.finish()
    except BaseException:
        writer.abort()
        raise
    log.info("vectors_exported", collection=collection, path=str(out), points=written, format=fmt)
    return ExportReport(out, collection, fmt, written, header)

"""Import an export file into a collection, in batches, with retries and a resumable checkpoint.

The checkpoint ``<file>.import-state.json`` records the target collection, the file's size
and how many records are stored; it is rewritten (atomically) after every batch and removed
when the import completes. A restart with the same file and target skips the records done.
Point ids are deterministic, so a batch written twice (crash between upsert and checkpoint)
leaves no duplicate.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import structlog

from jurisgraph.engine.vectors import VectorIndex
from jurisgraph.errors import InvalidInput
from jurisgraph.kit.retry import RetryPolicy
from jurisgraph.pipeline.context import Progress, no_progress
from jurisgraph.vectors_ops.files import open_reader
from jurisgraph.vectors_ops.records import spec_from_name
from jurisgraph.vectors_ops.retry import UPSERT_RETRY, upsert_with_retries
from jurisgraph.vectors_ops.streams import Batch

log = structlog.get_logger(__name__)

DEFAULT_BATCH = 256
STATE_SUFFIX = ".import-state.json"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: records stored in total, how many this run, and where it resumed."""

    collection: str
    records: int
    written: int
    resumed_from: int
    alias: str | None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Progress of an import of ``file`` (of ``size`` bytes) into ``collection``."""

    file: str
    size: int
    collection: str
    done: int
    offset: int | None

    def matches(self, path: Path, collection: str) -> bool:
        """True when this checkpoint belongs to the same file (path and size) and target."""
        return (
            self.file == str(path.resolve())
            and self.size == path.stat().st_size
            and self.collection == collection
        )


def state_path(path: Path) -> Path:
    """The checkpoint file of an import of ``path``."""
    return path.with_name(path.name + STATE_SUFFIX)


def read_checkpoint(path: Path) -> Checkpoint | None:
    """The checkpoint of ``path`` if there is a readable one."""
    state = state_path(path)
    if not state.is_file():
        return None
    try:
        data: dict[str, Any] = json.loads(state.read_text(encoding="utf-8"))
        offset = data.get("offset")
        return Checkpoint(
            file=str(data["file"]),
            size=int(data["size"]),
            collection=str(data["collection"]),
            done=int(data["done"]),
            offset=None if offset is None else int(offset),
        )
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("vector_import_checkpoint_unreadable", path=str(state))
        return None


def write_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Replace the checkpoint file atomically."""
    state = state_path(path)
    tmp = state.with_name(state.name + ".tmp")
    tmp.write_text(json.dumps(asdict(checkpoint)), encoding="utf-8")
    os.replace(tmp, state)


def import_file(
    index: VectorIndex,
    path: Path,
    *,
    collection: str | None = None,
    alias: str | None = None,
    batch: int = DEFAULT_BATCH,
    fmt: str | None = None,
    retry: RetryPolicy = UPSERT_RETRY,
    progress: Progress = no_progress,
    after_batch: Callable[[Batch], None] | None = None,
) -> ImportReport:
    """Store every record of ``path`` into ``collection`` (default: the one named in the header).

    Creates the collection if needed, resumes from a matching checkpoint, and points ``alias``
    at the collection once every record is stored. ``after_batch`` is called after each batch
    is stored and checkpointed.
    """
    if batch < 1:
        raise InvalidInput("batch must be at least 1")
    reader = open_reader(path, fmt)
    header = reader.header
    spec = spec_from_name(collection) if collection else header.spec()
    if header.dim is not None and header.dim != spec.dim:
        raise InvalidInput(f"the file holds {header.dim}-d vectors but {spec.name} takes {spec.dim}-d")
    index.ensure_collection(spec)
    found = read_checkpoint(path)
    start = found if found is not None and found.matches(path, spec.name) else None
    resumed_from = start.done if start else 0
    if start:
        log.info("vector_import_resumed", path=str(path), collection=spec.name, done=start.done)
    done, written = resumed_from, 0
    size = path.stat().st_size
    batches = reader.batches(batch, skip=resumed_from, offset=start.offset if start else None)
    for part in batches:
        upsert_with_retries(index, spec, part.points, retry)
        written += len(part.points)
        done = part.done
        write_checkpoint(path, Checkpoint(str(path.resolve()), size, spec.name, done, part.offset))
        progress("import", done, header.count or None, spec.name)
        if after_batch is not None:
            after_batch(part)
    if alias:
        index.set_alias(alias, spec)
    state_path(path).unlink(missing_ok=True)
    log.info("vectors_imported", path=str(path), collection=spec.name, records=done, written=written)
    return ImportReport(spec.name, done, written, resumed_from, alias)

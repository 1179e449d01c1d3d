"""``manifest.json``: what a backup holds, with the versions and counts that restoring must give
back and the size and sha256 of every file."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jurisgraph.errors import InvalidInput

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PREFIX = "jurisgraph-"
"""Name prefix of a backup folder (followed by its UTC timestamp)."""
CHUNK = 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FileEntry(_Strict):
    """One file of the backup, by its path relative to the backup folder."""

    path: str
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class EmbeddingInfo(_Strict):
    """The embedding space the stored vectors belong to."""

    provider: str
    model: str
    dim: int


class DatabaseInfo(_Strict):
    """The database part: its kind (``sqlite`` or ``mysql``), its file, its rows per table."""

    kind: str
    file: str
    tables: dict[str, int]


class VectorsInfo(_Strict):
    """The vector store part: ``edge`` (embedded folder copy) or ``server`` (collection snapshots)."""

    kind: str
    folder: str
    collections: dict[str, int]
    aliases: dict[str, str]


class StorageInfo(_Strict):
    """The document storage part: ``local`` folder copied under ``folder``; ``root`` is where it was."""

    kind: str
    folder: str
    root: str
    files: int


class Manifest(_Strict):
    """Everything a backup claims; every field is required (a manifest missing one is incomplete)."""

    format_version: int
    created_at: str
    jurisgraph_version: str
    schema_revision: str | None
    embedding: EmbeddingInfo
    database: DatabaseInfo
    vectors: VectorsInfo
    storage: StorageInfo
    files: list[FileEntry]

    def write(self, folder: Path) -> None:
        """Write ``manifest.json`` into ``folder`` (flushed to disk)."""
        path = folder / MANIFEST
        with path.open("w", encoding="utf-8") as fh:
            fh.write(self.model_dump_json(indent=1))
            fh.flush()
            os.fsync(fh.fileno())


def read_manifest(folder: Path) -> Manifest:
    """The manifest of the backup ``folder``; InvalidInput when missing, unreadable or incomplete."""
    path = folder / MANIFEST
    if not path.is_file():
        raise InvalidInput(f"{folder}: no {MANIFEST} (not a backup, or an incomplete one)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest.model_validate(data)
    except (ValueError, ValidationError) as exc:
        raise InvalidInput(f"{path}: invalid manifest: {_first_line(exc)}") from exc
    if manifest.format_version != FORMAT_VERSION:
        raise InvalidInput(
            f"{path}: backup format {manifest.format_version}, this version reads {FORMAT_VERSION}"
        )
    return manifest


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:300]


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def file_entries(folder: Path) -> list[FileEntry]:
    """Size and sha256 of every file under ``folder`` except the manifest, sorted by path."""
    entries = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if relative == MANIFEST:
            continue
        entries.append(FileEntry(path=relative, size=path.stat().st_size, sha256=sha256_of(path)))
    return entries


def check_files(folder: Path, manifest: Manifest) -> list[str]:
    """One line per file that is missing, differs in size or checksum, or is not in the manifest."""
    problems = []
    listed = {entry.path for entry in manifest.files}
    for entry in manifest.files:
        path = folder / entry.path
        if not path.is_file():
            problems.append(f"missing file {entry.path}")
        elif path.stat().st_size != entry.size:
            problems.append(
                f"size mismatch {entry.path}: {path.stat().st_size} bytes, manifest says {entry.size}"
            )
        elif sha256_of(path) != entry.sha256:
            problems.append(f"checksum mismatch {entry.path}")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if relative != MANIFEST and relative not in listed:
            problems.append(f"file not in the manifest: {relative}")
    return problems

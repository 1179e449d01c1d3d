"""The document-storage part of a backup, behind a port: the local folder today (copied file by
file); an S3 implementation (bucket listing + objects) comes with uploads."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Protocol


class StorageBackup(Protocol):
    """Saves and restores the stored documents."""

    kind: str
    root: str

    def save(self, dest: Path) -> int:
        """Copy every stored object into the new folder ``dest``; how many."""
        ...

    def count(self) -> int:
        """Objects stored now."""
        ...

    def restore(self, source: Path) -> int:
        """Copy a saved folder back into the (empty) storage; how many."""
        ...


class LocalStorage:
    """The storage folder under the home (or ``JURISGRAPH_STORAGE_PATH``)."""

    kind = "local"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.root = str(path.resolve())

    def save(self, dest: Path) -> int:
        if self.path.is_dir():
            shutil.copytree(self.path, dest, symlinks=False)
        else:
            dest.mkdir(parents=True)
        return _files(dest)

    def count(self) -> int:
        return _files(self.path) if self.path.is_dir() else 0

    def restore(self, source: Path) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, self.path, dirs_exist_ok=True)
        return _files(source)


def _files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())

"""The object store in a local folder: temporary file in the same folder, fsync, ``os.replace``."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from jurisgraph.errors import NotFound, StorageError
from jurisgraph.integrations.storage.base import (
    KEY_PREFIX,
    TEMP_MARK,
    StoredObject,
    digest,
    key_for,
    validate_key,
)


class LocalObjectStore:
    """Objects as files under ``path`` (created on first write)."""

    kind = "local"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.root = str(self.path.resolve())

    def _file(self, key: str) -> Path:
        return self.path.joinpath(*validate_key(key).split("/"))

    def put(self, data: bytes) -> StoredObject:
        sha = digest(data)
        stored = StoredObject(key_for(sha), len(data), sha)
        final = self._file(stored.key)
        if final.is_file() and final.stat().st_size == len(data):
            return stored
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            self._write_atomic(final, data)
        except OSError as error:
            raise StorageError(f"cannot write {stored.key} under {self.root}: {error}") from error
        return stored

    def _write_atomic(self, final: Path, data: bytes) -> None:
        fd, temp_name = tempfile.mkstemp(prefix=final.name + TEMP_MARK, dir=final.parent)
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, final)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        _fsync_dir(final.parent)

    def get(self, key: str) -> bytes:
        file = self._file(key)
        try:
            return file.read_bytes()
        except FileNotFoundError as error:
            raise NotFound(f"no stored object {key}") from error
        except OSError as error:
            raise StorageError(f"cannot read {key}: {error}") from error

    def delete(self, key: str) -> None:
        file = self._file(key)
        try:
            file.unlink(missing_ok=True)
        except OSError as error:
            raise StorageError(f"cannot delete {key}: {error}") from error
        # drop the now-empty fan-out folder, quietly if another writer just used it
        with contextlib.suppress(OSError):
            file.parent.rmdir()

    def exists(self, key: str) -> bool:
        return self._file(key).is_file()

    def keys(self) -> Iterator[str]:
        """The keys of the objects this store put (files under ``sha256/``; other files that
        share the folder, such as downloaded portal resources, are not objects of the store)."""
        base = self.path / KEY_PREFIX
        if not base.is_dir():
            return
        for file in base.rglob("*"):
            if file.is_file() and TEMP_MARK not in file.name:
                yield file.relative_to(self.path).as_posix()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

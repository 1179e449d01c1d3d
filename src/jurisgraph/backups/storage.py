"""The document-storage part of a backup, behind a port: the local folder (copied file by file)
or an S3 bucket (its objects as files plus a listing of keys, sizes and checksums)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Protocol

from jurisgraph.errors import InvalidInput
from jurisgraph.integrations.storage import validate_key
from jurisgraph.integrations.storage.s3 import S3ObjectStore

BUCKET_LISTING = "bucket-objects.json"
"""The listing of a saved bucket: ``{"root": ..., "objects": [{"key", "size", "sha256"}, ...]}``."""


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


class S3Storage:
    """The bucket (under the store's prefix): every object saved as ``<dest>/objects/<key>`` with a
    :data:`BUCKET_LISTING` of keys, sizes and SHA-256; restored object by object, each checked."""

    kind = "s3"

    def __init__(self, store: S3ObjectStore) -> None:
        self.store = store
        self.root = store.root

    def save(self, dest: Path) -> int:
        objects = dest / "objects"
        objects.mkdir(parents=True)
        listing = []
        for key in sorted(self.store.all_keys()):
            data = self.store.get(validate_key(key))
            target = objects.joinpath(*key.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            listing.append({"key": key, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        body = {"root": self.root, "objects": listing}
        (dest / BUCKET_LISTING).write_text(json.dumps(body, indent=1, ensure_ascii=False), encoding="utf-8")
        return _files(dest)

    def count(self) -> int:
        return sum(1 for _ in self.store.all_keys())

    def restore(self, source: Path) -> int:
        listing = _read_listing(source)
        for name, size, sha256 in listing:
            key = validate_key(name)
            data = source.joinpath("objects", *key.split("/")).read_bytes()
            if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
                raise InvalidInput(f"stored object {key} of the backup does not match its listing")
            self.store.put_at(key, data, sha256=sha256)
        return len(listing)


def _read_listing(source: Path) -> list[tuple[str, int, str]]:
    """``(key, size, sha256)`` of every saved object."""
    path = source / BUCKET_LISTING
    if not path.is_file():
        raise InvalidInput(f"{source} holds no {BUCKET_LISTING}: it is not a saved S3 bucket")
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        return [(str(o["key"]), int(o["size"]), str(o["sha256"])) for o in body["objects"]]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidInput(f"{path} is not a valid bucket listing: {error}") from error

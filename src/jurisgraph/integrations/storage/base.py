"""The storage port: a content-addressed object store (local folder or S3-compatible bucket)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from jurisgraph.errors import StorageError

KEY_PREFIX = "sha256"
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
_HEX = re.compile(r"^[0-9a-f]{64}$")
TEMP_MARK = ".tmp-"
"""Part of the name of a temporary object or file; never in a final key."""


@dataclass(frozen=True, slots=True)
class StoredObject:
    """An object put into a store: its ``key``, ``size`` in bytes and ``sha256`` (hex)."""

    key: str
    size: int
    sha256: str


@runtime_checkable
class ObjectStore(Protocol):
    """Content-addressed, atomic object storage.

    ``put`` stores bytes under ``sha256/<first two hex>/<sha256>`` (the same content always
    gets the same key) and never leaves a half object under the final key nor a temporary
    one behind. ``get`` of a missing key raises :class:`~jurisgraph.errors.NotFound`;
    ``delete`` is idempotent; a malformed key (``..``, absolute, odd characters) raises
    :class:`~jurisgraph.errors.StorageError`. ``kind`` is ``local`` or ``s3``; ``root`` the
    folder or ``s3://bucket[/prefix]``.
    """

    kind: str
    root: str

    def put(self, data: bytes) -> StoredObject:
        """Store ``data``; its key, size and checksum."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes stored under ``key``."""
        ...

    def delete(self, key: str) -> None:
        """Remove ``key`` (nothing happens if it is absent)."""
        ...

    def exists(self, key: str) -> bool:
        """Whether ``key`` is stored."""
        ...

    def keys(self) -> Iterator[str]:
        """Every stored key (temporary objects excluded), in no particular order."""
        ...


def digest(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def key_for(sha256: str) -> str:
    """The content address of a SHA-256: ``sha256/ab/abcdef…``."""
    if not _HEX.match(sha256):
        raise StorageError(f"not a SHA-256 hex digest: {sha256!r}", status_code=400)
    return f"{KEY_PREFIX}/{sha256[:2]}/{sha256}"


def validate_key(key: str) -> str:
    """``key`` when it is a relative key of safe parts (no ``..``, no leading ``/``, no temp mark)."""
    if (
        not isinstance(key, str)
        or len(key) > 512
        or not _KEY.match(key)
        or ".." in key.split("/")
        or TEMP_MARK in key
    ):
        raise StorageError(f"invalid storage key: {key!r}", status_code=400)
    return key

"""Local file helpers shared by the HTTP and mirror downloads: targets, part files, hashing."""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from jurisgraph.errors import StorageError, TooLarge
from jurisgraph.integrations.ckan.records import Resource

PART_SUFFIX = ".part"


def target_path(dest_dir: Path, resource: Resource) -> Path:
    """Where a resource is stored inside ``dest_dir`` (its safe file name)."""
    return dest_dir / resource.filename


def part_path(target: Path) -> Path:
    """The in-progress file next to ``target``."""
    return target.with_name(target.name + PART_SUFFIX)


NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})
"""errno values of a full device or an exhausted quota."""


@contextmanager
def space_checked(folder: Path, *leftovers: Path) -> Iterator[None]:
    """Run a write into ``folder``: a full device (or quota) deletes ``leftovers`` (the part
    files) and raises :class:`StorageError` naming the folder, so nothing half-written stays and
    the caller records a clear error; other I/O errors pass unchanged."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in NO_SPACE:
            raise
        discard(*leftovers)
        raise StorageError(
            f"no space left on the device of {folder} ({exc.strerror}): free space and download again"
        ) from exc


def discard(*paths: Path) -> None:
    """Delete the given files if they exist."""
    for path in paths:
        path.unlink(missing_ok=True)


def too_large(url: str, size: int, max_bytes: int) -> TooLarge:
    """The error raised when a resource is over the size limit."""
    return TooLarge(f"{url} is {size} bytes or more, over the limit of {max_bytes} bytes")


def hash_file(path: Path, chunk_size: int = 1 << 16) -> tuple[str, int]:
    """sha256 hex digest and size of a file."""
    digest, size = hash_prefix(path, chunk_size)
    return digest.hexdigest(), size


class HashingWriter:
    """Appends chunks to an open file, hashing them and enforcing ``max_bytes``.

    ``start`` is the number of bytes already in the file, already fed to ``digest``.
    """

    def __init__(
        self, handle: BinaryIO, digest: hashlib._Hash, *, start: int, max_bytes: int, url: str
    ) -> None:
        self.handle = handle
        self.digest = digest
        self.size = start
        self.max_bytes = max_bytes
        self.url = url

    def write_all(self, chunks: Iterable[bytes]) -> None:
        """Write every chunk; raises TooLarge as soon as the limit is passed."""
        for chunk in chunks:
            if self.size + len(chunk) > self.max_bytes:
                raise too_large(self.url, self.size + len(chunk), self.max_bytes)
            self.handle.write(chunk)
            self.digest.update(chunk)
            self.size += len(chunk)


def hash_prefix(path: Path, chunk_size: int) -> tuple[hashlib._Hash, int]:
    """A sha256 object fed with the current content of ``path``, and that content's size."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest, size


def finish(part: Path, target: Path) -> None:
    """Flush the part file to disk and move it onto ``target`` atomically."""
    with part.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(part, target)

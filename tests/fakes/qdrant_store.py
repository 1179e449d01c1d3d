"""The storage behind the Qdrant-protocol test server: one qdrant-edge shard per collection.

The folder layout is the embedded adapter's (``integrations/qdrant/edge.py``): ``<collection>/``
is a shard folder (WAL, segments, ``edge_config.json``) and ``aliases.json`` holds
``{"aliases": {alias: collection}}``, so a folder written by either can be served by the
other. Snapshots live in ``.snapshots/<collection>/<name>.snapshot`` (a GNU tar of the shard
folder with its sparse files kept sparse, taken with the shard closed, so it is consistent).
One server owns the folder (``.server.lock``; a second one refuses to start).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from tests.fakes import qdrant_codec as codec
from tests.fakes.qdrant_codec import WrongInput

CONFIG_FILE = "edge_config.json"
ALIASES_FILE = "aliases.json"
SNAPSHOTS = ".snapshots"
LOCK_FILE = ".server.lock"
NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}")


class ApiError(Exception):
    """A failure with Qdrant's HTTP status and message prefix."""

    status = 500
    prefix = "Service internal error"

    def __str__(self) -> str:
        return f"{self.prefix}: {self.args[0]}"


class NotFoundError(ApiError):
    status = 404
    prefix = "Not found"


class ConflictError(ApiError):
    status = 409
    prefix = "Wrong input"


class BadRequest(ApiError):
    status = 400
    prefix = "Wrong input"


class Unavailable(ApiError):
    status = 503
    prefix = "Service unavailable"


def edge_failure(exc: Exception) -> ApiError:
    """An edge exception (a plain ``Exception`` with a message) as the error Qdrant would answer."""
    message = str(exc)
    lowered = message.lower()
    if "no point with id" in lowered:
        return NotFoundError(f"{message} found" if not lowered.endswith("found") else message)
    if isinstance(exc, WrongInput) or "dimension error" in lowered or "not existing vector" in lowered:
        return BadRequest(message)
    if "wrong input" in lowered or "bad input" in lowered or "format error" in lowered:
        return BadRequest(message)
    return ApiError(message)


@contextmanager
def edge_errors() -> Iterator[None]:
    try:
        yield
    except ApiError:
        raise
    except Exception as exc:
        raise edge_failure(exc) from exc


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class _Shard:
    shard: qe.EdgeShard
    lock: threading.Lock = field(default_factory=threading.Lock)
    closed: bool = False


class QdrantStore:
    """Collections, aliases and snapshots under ``root``; safe to share between threads."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock_fd)
            raise RuntimeError(f"{self.root} is served by another Qdrant test server") from None
        self._registry = threading.RLock()
        self._shards: dict[str, _Shard] = {}
        path = self.root / ALIASES_FILE
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        self._aliases: dict[str, str] = dict(data.get("aliases", {}))
        self._operations = 0
        self._closed = False

    # -- collections -------------------------------------------------------------------------

    def collections(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if (p / CONFIG_FILE).is_file())

    def _is_collection(self, name: str) -> bool:
        return bool(NAME.fullmatch(name)) and (self.root / name / CONFIG_FILE).is_file()

    def resolve(self, name: str) -> str:
        """The collection ``name`` designates (an alias is followed); NotFound if none."""
        with self._registry:
            target = self._aliases.get(name, name)
            if not self._is_collection(target):
                raise NotFoundError(f"Collection `{name}` doesn't exist!")
            return target

    def exists(self, name: str) -> bool:
        try:
            self.resolve(name)
        except NotFoundError:
            return False
        return True

    def create(self, name: str, body: Mapping[str, Any]) -> None:
        if not NAME.fullmatch(name):
            raise BadRequest(f"Collection name `{name}` is not allowed")
        config = codec.edge_config(body)
        with self._registry:
            self._check_open()
            if self._is_collection(name) or name in self._aliases:
                raise ConflictError(f"Collection `{name}` already exists!")
            with edge_errors():
                shard = qe.EdgeShard.create(str(self.root / name), config)
            self._shards[name] = _Shard(shard)

    def delete(self, name: str) -> bool:
        """Drop a collection, its aliases and snapshots; False if there was none."""
        with self._registry:
            self._check_open()
            if not self._is_collection(name):
                return False
            self._close(name)
            shutil.rmtree(self.root / name)
            shutil.rmtree(self.root / SNAPSHOTS / name, ignore_errors=True)
            remaining = {a: c for a, c in self._aliases.items() if c != name}
            if remaining != self._aliases:
                self._store_aliases(remaining)
            return True

    def info(self, name: str) -> dict[str, Any]:
        """``CollectionInfo`` of a collection."""
        target = self.resolve(name)
        config = json.loads((self.root / target / CONFIG_FILE).read_text(encoding="utf-8"))
        with self.shard(target) as shard:
            info = shard.info()
        return {
            "status": "green",
            "optimizer_status": "ok",
            "segments_count": int(info.segments_count),
            "points_count": int(info.points_count),
            "indexed_vectors_count": int(info.indexed_vectors_count),
            "config": {
                "params": codec.collection_params(config),
                "hnsw_config": {"m": 16, "ef_construct": 100, "full_scan_threshold": 10000, "on_disk": False},
                "optimizer_config": {
                    "deleted_threshold": 0.2,
                    "vacuum_min_vector_number": 1000,
                    "default_segment_number": 0,
                    "flush_interval_sec": 5,
                },
                "wal_config": {"wal_capacity_mb": 32, "wal_segments_ahead": 0},
                "quantization_config": None,
            },
            "payload_schema": codec.payload_schema(info),
        }

    @contextmanager
    def shard(self, name: str) -> Iterator[qe.EdgeShard]:
        """The open shard of collection (or alias) ``name`` under its lock, edge errors translated."""
        for _ in range(3):  # a snapshot may close the shard between lookup and lock: look again
            with self._registry:
                self._check_open()
                target = self.resolve(name)
                handle = self._shards.get(target)
                if handle is None:
                    with edge_errors():
                        handle = self._shards[target] = _Shard(qe.EdgeShard.load(str(self.root / target)))
            with handle.lock:
                if not handle.closed:
                    with edge_errors():
                        yield handle.shard
                    return
        raise NotFoundError(f"Collection `{name}` doesn't exist!")

    def update(self, name: str, operation: qe.UpdateOperation) -> dict[str, Any]:
        """Apply one update and return an ``UpdateResult``."""
        with self.shard(name) as shard:
            shard.update(operation)
        with self._registry:
            self._operations += 1
            return {"operation_id": self._operations, "status": "completed"}

    def _check_open(self) -> None:
        if self._closed:
            raise Unavailable("the server is stopping")

    def _close(self, name: str) -> None:
        handle = self._shards.pop(name, None)
        if handle is not None:
            with handle.lock, edge_errors():
                handle.closed = True
                handle.shard.close()

    def close(self) -> None:
        """Flush and close every open shard, then let another server have the folder."""
        with self._registry:
            self._closed = True
            for name in list(self._shards):
                self._close(name)
            if self._lock_fd >= 0:
                os.close(self._lock_fd)  # releases the flock
                self._lock_fd = -1

    # -- aliases -----------------------------------------------------------------------------

    def aliases(self, collection: str | None = None) -> list[dict[str, str]]:
        with self._registry:
            return [
                {"alias_name": a, "collection_name": c}
                for a, c in sorted(self._aliases.items())
                if collection is None or c == collection
            ]

    def update_aliases(self, actions: list[Mapping[str, Any]]) -> None:
        """Apply every action or none (one write of ``aliases.json``)."""
        with self._registry:
            self._check_open()
            aliases = dict(self._aliases)
            for action in actions:
                if "create_alias" in action:
                    op = action["create_alias"]
                    if not self._is_collection(op["collection_name"]):
                        raise NotFoundError(f"Collection `{op['collection_name']}` doesn't exist!")
                    if self._is_collection(op["alias_name"]):
                        raise ConflictError(f"Collection `{op['alias_name']}` already exists!")
                    aliases[op["alias_name"]] = op["collection_name"]
                elif "delete_alias" in action:
                    alias = action["delete_alias"]["alias_name"]
                    if aliases.pop(alias, None) is None:
                        raise NotFoundError(f"Alias {alias} does not exists!")
                elif "rename_alias" in action:
                    op = action["rename_alias"]
                    if op["old_alias_name"] not in aliases:
                        raise NotFoundError(f"Alias {op['old_alias_name']} does not exists!")
                    aliases[op["new_alias_name"]] = aliases.pop(op["old_alias_name"])
                else:
                    raise BadRequest(f"unknown alias action {dict(action)!r}")
            self._store_aliases(aliases)

    def _store_aliases(self, aliases: dict[str, str]) -> None:
        _write_json(self.root / ALIASES_FILE, {"aliases": aliases})
        self._aliases = aliases

    # -- snapshots ---------------------------------------------------------------------------

    def _snapshot_dir(self, name: str) -> Path:
        return self.root / SNAPSHOTS / self.resolve(name)

    def create_snapshot(self, name: str) -> dict[str, Any]:
        """Close the shard (flushing it), tar its folder, and describe the file."""
        with self._registry:
            self._check_open()
            target = self.resolve(name)
            self._close(target)  # reopened on the next request
            folder = self._snapshot_dir(target)
            folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y-%m-%d-%H-%M-%S-%f")
            path = folder / f"{target}-{stamp}.snapshot"
            tmp = path.with_suffix(".tmp")
            # GNU tar keeps the engine's preallocated (sparse) files sparse: ~1 MB, not ~200 MB
            command = ["tar", "--sparse", "-cf", str(tmp), "-C", str(self.root / target), "."]
            subprocess.run(command, check=True, capture_output=True)
            os.replace(tmp, path)
            return self._describe(path)

    def list_snapshots(self, name: str) -> list[dict[str, Any]]:
        folder = self._snapshot_dir(name)
        return [self._describe(p) for p in sorted(folder.glob("*.snapshot"))] if folder.is_dir() else []

    def snapshot_path(self, name: str, snapshot: str) -> Path:
        path = self._snapshot_dir(name) / snapshot
        if not NAME.fullmatch(snapshot) or not path.is_file():
            raise NotFoundError(f"Snapshot {snapshot} not found")
        return path

    def delete_snapshot(self, name: str, snapshot: str) -> None:
        self.snapshot_path(name, snapshot).unlink()

    def recover(self, name: str, snapshot: Path, checksum: str | None = None) -> None:
        """Replace (or create) collection ``name`` with the content of a snapshot file."""
        if checksum is not None and _sha256(snapshot) != checksum:
            raise BadRequest("Snapshot checksum mismatch")
        if not NAME.fullmatch(name) or name in self._aliases:
            raise BadRequest(f"Collection name `{name}` is not allowed")
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=self.root))
        try:
            command = ["tar", "--no-same-owner", "-xf", str(snapshot), "-C", str(staging)]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                raise BadRequest(f"bad snapshot file: {done.stderr.strip()[:300]}")
            if not (staging / CONFIG_FILE).is_file():
                raise BadRequest("not a snapshot of this server: no edge_config.json")
            with self._registry:
                self._check_open()
                self._close(name)
                old = self.root / name
                if old.exists():
                    shutil.rmtree(old)
                os.replace(staging, old)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _describe(self, path: Path) -> dict[str, Any]:
        stat = path.stat()
        created = datetime.fromtimestamp(stat.st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return {"name": path.name, "creation_time": created, "size": stat.st_size, "checksum": _sha256(path)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

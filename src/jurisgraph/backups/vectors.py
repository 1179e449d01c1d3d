"""The vector-store part of a backup, behind one port with two implementations:

- :class:`EdgeVectors`, the embedded engine: a consistent copy of its folder taken by the
  process that owns it (every shard flushed and copied under its lock);
- :class:`ServerVectors`, a Qdrant server: one snapshot per collection through qdrant-client's
  snapshot API, downloaded, and uploaded again to restore.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx

from jurisgraph.errors import Conflict, ProcessingError
from jurisgraph.integrations.qdrant.edge import ALIASES_FILE, CONFIG_FILE, EdgeVectorIndex
from jurisgraph.kit.files import copy_tree

SNAPSHOT_SUFFIX = ".snapshot"


@dataclass(frozen=True)
class VectorContent:
    """Collections with their point counts, and the alias map."""

    collections: dict[str, int]
    aliases: dict[str, str]


class VectorBackup(Protocol):
    """Saves, checks and restores one vector store."""

    kind: str

    def save(self, dest: Path) -> VectorContent:
        """Write the whole store into the new folder ``dest``; what it holds."""
        ...

    def content(self) -> VectorContent:
        """What the store holds now."""
        ...

    def restore(self, source: Path) -> None:
        """Load a folder written by :meth:`save` into this (empty) store."""
        ...

    def scratch_content(self, source: Path) -> VectorContent:
        """Restore ``source`` into a throw-away store and report what it holds (verify)."""
        ...


# -- embedded ----------------------------------------------------------------------------


def edge_content(index: EdgeVectorIndex) -> VectorContent:
    """Collections and aliases of an open embedded index."""
    names = index.list_collections()
    return VectorContent({name: index.count(name) for name in names}, index.aliases())


class EdgeVectors:
    """The embedded store: ``index`` when this process has it open, else opened on ``path``."""

    kind = "edge"

    def __init__(self, path: Path, index: EdgeVectorIndex | None = None) -> None:
        self.path = path
        self._index = index

    def save(self, dest: Path) -> VectorContent:
        """Flush and copy every shard; the counts are read from the copy itself."""
        if self._index is not None:
            self._index.copy_to(dest)
        else:
            with EdgeVectorIndex(self.path) as index:
                index.copy_to(dest)
        return self.scratch_content(dest)

    def content(self) -> VectorContent:
        """Read from the open index, or from the folder (shard folders and the alias file)."""
        if self._index is not None:
            return edge_content(self._index)
        names = (
            sorted(p.name for p in self.path.iterdir() if (p / CONFIG_FILE).is_file())
            if self.path.is_dir()
            else []
        )
        if not names:
            return VectorContent({}, _read_aliases(self.path))
        with EdgeVectorIndex(self.path) as index:
            return edge_content(index)

    def restore(self, source: Path) -> None:
        """Copy the saved shard folders and alias file into the (empty) store folder."""
        if self._index is not None and self._index.list_collections():
            raise Conflict("the vector store is not empty")
        self.path.mkdir(parents=True, exist_ok=True)
        for item in sorted(source.iterdir()):
            if item.is_dir():
                copy_tree(item, self.path / item.name)
            elif item.name == ALIASES_FILE:
                shutil.copy2(item, self.path / item.name)

    def scratch_content(self, source: Path) -> VectorContent:
        """Open a scratch copy of ``source`` (opening writes to a shard's WAL: the backup stays intact)."""
        with tempfile.TemporaryDirectory(prefix="jurisgraph-verify-vectors-") as scratch:
            folder = Path(scratch) / "qdrant"
            copy_tree(source, folder)
            with EdgeVectorIndex(folder) as index:
                return edge_content(index)


def _read_aliases(folder: Path) -> dict[str, str]:
    path = folder / ALIASES_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.get("aliases", {}).items()}


# -- server ------------------------------------------------------------------------------


class ServerVectors:
    """A Qdrant server: collection snapshots (create, download, upload) and aliases."""

    kind = "server"

    def __init__(self, url: str, api_key: str | None = None, *, timeout: float = 600.0) -> None:
        from qdrant_client import QdrantClient

        self.url = url.rstrip("/")
        self._headers = {"api-key": api_key} if api_key else {}
        self._client = QdrantClient(url=url, api_key=api_key, timeout=int(timeout), check_compatibility=False)
        self._timeout = timeout

    def close(self) -> None:
        """Close the client."""
        self._client.close()

    def save(self, dest: Path) -> VectorContent:
        """Snapshot every collection on the server, download it, delete it from the server."""
        dest.mkdir(parents=True, exist_ok=False)
        content = self.content()
        for name in content.collections:
            snapshot = self._client.create_snapshot(name, wait=True)
            if snapshot is None:
                raise ProcessingError(f"the server made no snapshot of {name}")
            try:
                self._download(
                    f"/collections/{name}/snapshots/{snapshot.name}", dest / f"{name}{SNAPSHOT_SUFFIX}"
                )
            finally:
                self._client.delete_snapshot(name, snapshot.name, wait=True)
        (dest / ALIASES_FILE).write_text(
            json.dumps({"aliases": content.aliases}, sort_keys=True), encoding="utf-8"
        )
        return content

    def content(self) -> VectorContent:
        """Collections with exact counts, and aliases."""
        names = sorted(c.name for c in self._client.get_collections().collections)
        aliases = {a.alias_name: a.collection_name for a in self._client.get_aliases().aliases}
        return VectorContent({n: self._client.count(n, exact=True).count for n in names}, aliases)

    def restore(self, source: Path) -> None:
        """Upload each collection snapshot, then set the aliases."""
        self._upload_all(source, prefix="")
        from qdrant_client import models

        operations: list[models.AliasOperations] = [
            models.CreateAliasOperation(create_alias=models.CreateAlias(collection_name=c, alias_name=a))
            for a, c in sorted(_read_aliases(source).items())
        ]
        if operations:
            self._client.update_collection_aliases(change_aliases_operations=operations)

    def scratch_content(self, source: Path) -> VectorContent:
        """Upload the snapshots under throw-away names, count, and delete them."""
        prefix = f"verify_{uuid.uuid4().hex[:8]}_"
        try:
            names = self._upload_all(source, prefix=prefix)
            counts = {name: self._client.count(prefix + name, exact=True).count for name in names}
        finally:
            for collection in self._client.get_collections().collections:
                if collection.name.startswith(prefix):
                    self._client.delete_collection(collection.name)
        return VectorContent(counts, _read_aliases(source))

    def _upload_all(self, source: Path, *, prefix: str) -> list[str]:
        names = []
        for path in sorted(source.glob(f"*{SNAPSHOT_SUFFIX}")):
            name = path.name[: -len(SNAPSHOT_SUFFIX)]
            with path.open("rb") as fh:
                response = httpx.post(
                    f"{self.url}/collections/{prefix}{name}/snapshots/upload",
                    params={"priority": "snapshot", "wait": "true"},
                    files={"snapshot": (path.name, fh, "application/octet-stream")},
                    headers=self._headers,
                    timeout=self._timeout,
                )
            if response.status_code >= 400:
                raise ProcessingError(
                    f"snapshot upload of {name} failed: HTTP {response.status_code} {response.text[:300]}"
                )
            names.append(name)
        return names

    def _download(self, path: str, dest: Path) -> None:
        with (
            httpx.stream("GET", self.url + path, headers=self._headers, timeout=self._timeout) as response,
            dest.open("wb") as fh,
        ):
            if response.status_code >= 400:
                raise ProcessingError(f"snapshot download {path} failed: HTTP {response.status_code}")
            for block in response.iter_bytes():
                fh.write(block)

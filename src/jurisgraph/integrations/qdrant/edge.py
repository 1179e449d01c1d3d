"""Embedded vector index: one qdrant-edge shard per collection, aliases in a JSON file.

Layout under ``path``: ``<collection>/`` (a shard folder: WAL, segments, edge_config.json)
and ``aliases.json`` (``{"aliases": {alias: collection}}``, replaced atomically). One process
owns the folder (the WAL lock); inside it every shard is guarded by its own lock, and the
registry (open shards, aliases) by another, so the object may be shared between threads.
HNSW indexes are built by :meth:`EdgeVectorIndex.optimize`, never implicitly.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import qdrant_edge as qe
import structlog

from jurisgraph.engine.vectors import (
    DEFAULT_LIMIT,
    DENSE,
    SPARSE,
    CollectionSpec,
    DenseVector,
    Filter,
    SearchHit,
    SparseVector,
    Target,
    VectorPoint,
    check_name,
    point_uuid,
)
from jurisgraph.errors import DimensionMismatch, InvalidInput, NotFound, ServiceUnavailable
from jurisgraph.integrations.qdrant import edge_codec as codec
from jurisgraph.integrations.qdrant.points import (
    BATCH,
    RRF_K,
    candidates_for,
    dense_list,
    prepare_points,
    query_dense,
)
from jurisgraph.kit.files import copy_tree
from jurisgraph.metrics import VECTOR_LATENCY, timed

log = structlog.get_logger(__name__)

ALIASES_FILE = "aliases.json"
CONFIG_FILE = "edge_config.json"


@dataclass
class _Handle:
    shard: qe.EdgeShard
    dim: int | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    closed: bool = False


def _check_dim(handle: _Handle, spec: CollectionSpec) -> None:
    if handle.dim != spec.dim:
        raise DimensionMismatch(f"collection {spec.name} holds {handle.dim}-d vectors, not {spec.dim}")


def _write_json_atomically(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class EdgeVectorIndex:
    """``VectorIndex`` on embedded Qdrant shards stored under ``path``."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._root = Path(path)
        self._root.mkdir(parents=True, exist_ok=True)
        self._registry = threading.RLock()
        self._handles: dict[str, _Handle] = {}
        self._aliases: dict[str, str] = self._read_aliases()
        self._closed = False

    def __enter__(self) -> EdgeVectorIndex:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- collections -------------------------------------------------------------------------

    def ensure_collection(self, spec: CollectionSpec) -> bool:
        """Create the shard and its payload indexes if missing; True if created."""
        with self._registry:
            self._check_open()
            folder = self._root / spec.name
            created = not (folder / CONFIG_FILE).exists()
            if created:
                with codec.edge_errors():
                    shard = qe.EdgeShard.create(str(folder), codec.edge_config(spec))
                self._handles[spec.name] = _Handle(shard, spec.dim)
                log.info("vector_collection_created", collection=spec.name, store="edge")
            handle = self._open(spec.name)
            _check_dim(handle, spec)
            with handle.lock, codec.edge_errors():
                existing = set(handle.shard.info().payload_schema)
                for op in codec.index_operations(existing):
                    handle.shard.update(op)
            return created

    def list_collections(self) -> list[str]:
        """Shard folders under the root, sorted."""
        self._check_open()
        return sorted(p.name for p in self._root.iterdir() if (p / CONFIG_FILE).is_file())

    def drop_collection(self, collection: Target) -> None:
        """Close and delete a shard folder and every alias pointing at it."""
        name = self._physical(collection)
        with self._registry:
            self._check_open()
            handle = self._handles.pop(name, None)
            if handle is not None:
                with handle.lock, codec.edge_errors():
                    handle.closed = True
                    handle.shard.close()
            folder = self._root / name
            if folder.is_dir():
                shutil.rmtree(folder)
                log.info("vector_collection_dropped", collection=name, store="edge")
            remaining = {a: c for a, c in self._aliases.items() if c != name}
            if remaining != self._aliases:
                self._store_aliases(remaining)

    def optimize(self, target: Target) -> None:
        """Run the segment optimizers now (builds HNSW; blocks this collection meanwhile)."""
        name = self._resolve(target)
        with self._using(name) as shard:
            changed = shard.optimize()
        log.info("vector_collection_optimized", collection=name, changed=changed, store="edge")

    # -- aliases -----------------------------------------------------------------------------

    def set_alias(self, alias: str, collection: Target) -> None:
        """Point ``alias`` at an existing collection; the file and the map swap in one step."""
        check_name(alias)
        name = self._physical(collection)
        with self._registry:
            self._check_open()
            if not (self._root / name / CONFIG_FILE).is_file():
                raise NotFound(f"collection {name} does not exist")
            if (self._root / alias / CONFIG_FILE).is_file():
                raise InvalidInput(f"{alias!r} is a collection name and cannot be an alias")
            self._store_aliases({**self._aliases, alias: name})
        log.info("vector_alias_set", alias=alias, collection=name, store="edge")

    def resolve_alias(self, alias: str) -> str | None:
        """The collection ``alias`` points at, or None."""
        return self._aliases.get(alias)

    def aliases(self) -> dict[str, str]:
        """A copy of the alias map."""
        return dict(self._aliases)

    # -- writes ------------------------------------------------------------------------------

    def upsert(self, spec: CollectionSpec, points: Iterable[VectorPoint]) -> int:
        """Validate every point, then write them in batches; returns the number of points."""
        prepared = prepare_points(spec, points)
        _check_dim(self._open(spec.name), spec)
        for start in range(0, len(prepared), BATCH):
            batch = [codec.edge_point(p) for p in prepared[start : start + BATCH]]
            with timed(VECTOR_LATENCY, "embedded", "upsert"), self._using(spec.name) as shard:
                shard.update(qe.UpdateOperation.upsert_points(batch))
        return len(prepared)

    def update_dense(self, spec: CollectionSpec, vectors: Mapping[str, DenseVector]) -> None:
        """Replace the dense vector of existing points (NotFound if one is missing)."""
        items = [qe.PointVectors(point_uuid(k), {DENSE: dense_list(v, spec.dim)}) for k, v in vectors.items()]
        for start in range(0, len(items), BATCH):
            with self._using(spec.name) as shard:
                shard.update(qe.UpdateOperation.update_vectors(items[start : start + BATCH]))

    def delete(self, target: Target, ids: Iterable[str]) -> None:
        """Delete points by our id."""
        uuids: list[Any] = [point_uuid(i) for i in ids]
        with self._using(self._resolve(target)) as shard:
            if uuids:
                shard.update(qe.UpdateOperation.delete_points(uuids))

    def delete_by_filter(self, target: Target, filter: Filter) -> None:
        """Delete every point matching a non-empty filter."""
        operation = qe.UpdateOperation.delete_points_by_filter(codec.edge_filter_required(filter))
        with self._using(self._resolve(target)) as shard:
            shard.update(operation)

    # -- reads -------------------------------------------------------------------------------

    def retrieve(
        self, target: Target, ids: Iterable[str], *, with_vectors: bool = False
    ) -> list[VectorPoint]:
        """Stored points among ``ids``."""
        uuids: list[Any] = [point_uuid(i) for i in ids]
        with self._using(self._resolve(target)) as shard:
            records = shard.retrieve(uuids, with_payload=True, with_vector=with_vectors)
        return [codec.to_vector_point(r, with_vectors) for r in records]

    def count(self, target: Target, filter: Filter | None = None) -> int:
        """Exact count."""
        request = qe.CountRequest(exact=True, filter=codec.edge_filter(filter))
        with self._using(self._resolve(target)) as shard:
            return shard.count(request)

    def scroll(
        self, target: Target, *, batch: int = BATCH, filter: Filter | None = None
    ) -> Iterator[VectorPoint]:
        """Every point with vectors, a batch at a time (the lock is held per batch only)."""
        name = self._resolve(target)
        edge_filter = codec.edge_filter(filter)
        offset: Any = None
        while True:
            request = qe.ScrollRequest(
                offset=offset, limit=batch, filter=edge_filter, with_payload=True, with_vector=True
            )
            with self._using(name) as shard:
                records, offset = shard.scroll(request)
            yield from (codec.to_vector_point(r) for r in records)
            if offset is None:
                return

    def search_dense(
        self, target: Target, vector: DenseVector, *, filter: Filter | None = None, limit: int = DEFAULT_LIMIT
    ) -> list[SearchHit]:
        """Cosine nearest neighbours."""
        name = self._resolve(target)
        query = qe.Query.Nearest(query_dense(vector, name), DENSE)
        return self._query(name, limit, query=query, filter=codec.edge_filter(filter))

    def search_sparse(
        self,
        target: Target,
        vector: SparseVector,
        *,
        filter: Filter | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> list[SearchHit]:
        """Sparse dot product with IDF; an empty query vector finds nothing."""
        name = self._resolve(target)
        if not vector:
            self._open(name)
            return []
        query = qe.Query.Nearest(codec.edge_sparse(vector), SPARSE)
        return self._query(name, limit, query=query, filter=codec.edge_filter(filter))

    def search_hybrid(
        self,
        target: Target,
        *,
        dense: DenseVector | None = None,
        sparse: SparseVector | None = None,
        filter: Filter | None = None,
        limit: int = DEFAULT_LIMIT,
        candidates: int | None = None,
    ) -> list[SearchHit]:
        """Dense and sparse prefetch fused by reciprocal rank (k=60)."""
        if sparse is not None and not sparse:
            sparse = None
        if dense is None:
            if sparse is None:
                raise InvalidInput("hybrid search needs a dense or a sparse query vector")
            return self.search_sparse(target, sparse, filter=filter, limit=limit)
        if sparse is None:
            return self.search_dense(target, dense, filter=filter, limit=limit)
        name = self._resolve(target)
        edge_filter = codec.edge_filter(filter)
        pool = candidates_for(limit, candidates)
        dense_query = qe.Query.Nearest(query_dense(dense, name), DENSE)
        sparse_query = qe.Query.Nearest(codec.edge_sparse(sparse), SPARSE)
        prefetches = [
            qe.Prefetch(limit=pool, query=dense_query, filter=edge_filter),
            qe.Prefetch(limit=pool, query=sparse_query, filter=edge_filter),
        ]
        fusion: Any = qe.Fusion.Rrf(k=RRF_K)  # the stub omits the nested fusion classes
        return self._query(name, limit, prefetches=prefetches, query=fusion, filter=edge_filter)

    # -- backups -----------------------------------------------------------------------------

    def copy_to(self, dest: Path) -> list[str]:
        """A consistent copy of every collection and the alias file into the new folder ``dest``;
        returns the collections copied.

        The registry lock is held throughout (no collection is created, dropped or re-aliased
        meanwhile) and each shard is flushed and copied under its own lock, so no write lands
        half-way; this process owns the folder (the WAL lock), so no other process writes either.
        """
        dest.mkdir(parents=True, exist_ok=False)
        with self._registry:
            self._check_open()
            names = self.list_collections()
            for name in names:
                handle = self._open(name)
                with handle.lock, codec.edge_errors():
                    handle.shard.flush()
                    copy_tree(self._root / name, dest / name)
            if self._aliases:
                _write_json_atomically(dest / ALIASES_FILE, {"aliases": self._aliases})
        return names

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Flush and close every open shard; later calls raise ServiceUnavailable."""
        with self._registry:
            if self._closed:
                return
            self._closed = True
            handles, self._handles = self._handles, {}
            for name, handle in handles.items():
                with handle.lock, codec.edge_errors():
                    handle.closed = True
                    handle.shard.close()
                log.debug("vector_collection_closed", collection=name, store="edge")

    # -- internals ---------------------------------------------------------------------------

    def _query(self, name: str, limit: int, **request: Any) -> list[SearchHit]:
        if limit <= 0:
            raise InvalidInput("limit must be positive")
        query = qe.QueryRequest(limit=limit, with_payload=True, **request)
        with timed(VECTOR_LATENCY, "embedded", "query_points"), self._using(name) as shard:
            points = shard.query(query)
        return [codec.to_hit(p) for p in points]

    @contextmanager
    def _using(self, name: str) -> Iterator[qe.EdgeShard]:
        """The open shard of ``name`` under its lock, with edge errors translated."""
        handle = self._open(name)
        with handle.lock, codec.edge_errors():
            if handle.closed:
                self._check_open()
                raise NotFound(f"vector collection {name} was dropped")
            yield handle.shard

    def _check_open(self) -> None:
        if self._closed:
            raise ServiceUnavailable("the embedded vector index is closed")

    def _physical(self, collection: Target) -> str:
        if isinstance(collection, CollectionSpec):
            return collection.name
        name = check_name(collection)
        if name in self._aliases and not (self._root / name / CONFIG_FILE).is_file():
            raise InvalidInput(f"{name!r} is an alias; name the collection itself")
        return name

    def _resolve(self, target: Target) -> str:
        if isinstance(target, CollectionSpec):
            return target.name
        return self._aliases.get(check_name(target), target)

    def _open(self, name: str) -> _Handle:
        with self._registry:
            self._check_open()
            handle = self._handles.get(name)
            if handle is not None:
                return handle
            folder = self._root / check_name(name)
            config_path = folder / CONFIG_FILE
            if not config_path.is_file():
                raise NotFound(f"vector collection {name} does not exist")
            with codec.edge_errors():
                shard = qe.EdgeShard.load(str(folder))
            dim = codec.edge_dense_size(json.loads(config_path.read_text(encoding="utf-8")))
            handle = self._handles[name] = _Handle(shard, dim)
            return handle

    def _read_aliases(self) -> dict[str, str]:
        path = self._root / ALIASES_FILE
        if not path.is_file():
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.get("aliases", {}).items()}

    def _store_aliases(self, aliases: dict[str, str]) -> None:
        _write_json_atomically(self._root / ALIASES_FILE, {"aliases": aliases})
        self._aliases = aliases

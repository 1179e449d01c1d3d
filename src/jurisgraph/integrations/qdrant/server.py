"""Vector index on a Qdrant server through qdrant-client (or its local mode for tests).

Collections carry named vectors ``dense`` (cosine) and ``sparse`` (IDF) and keyword/datetime
payload indexes. Aliases change through one ``update_collection_aliases`` call, which the
server applies atomically. Every call retries transient failures (transport errors,
timeouts, 408/429/5xx, gRPC UNAVAILABLE) with exponential backoff and jitter, then raises
RetryableUpstreamError. Names that are aliases are passed to the server as they are: it
resolves them itself, so a swap made by another replica is followed at once.
"""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from types import TracebackType
from typing import Any, TypeVar

import structlog
from qdrant_client import QdrantClient
from qdrant_client import models as qm

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
from jurisgraph.errors import (
    ConfigError,
    DimensionMismatch,
    InvalidInput,
    JurisgraphError,
    ServiceUnavailable,
)
from jurisgraph.integrations.qdrant import server_codec as codec
from jurisgraph.integrations.qdrant.points import (
    BATCH,
    RRF_K,
    candidates_for,
    dense_list,
    prepare_points,
    query_dense,
)
from jurisgraph.kit.retry import RetryPolicy
from jurisgraph.metrics import VECTOR_LATENCY, timed

log = structlog.get_logger(__name__)

T = TypeVar("T")

SERVER_RETRY = RetryPolicy(max_retries=3, initial_wait=0.2, max_wait=5.0, jitter=1.0)
"""Four tries per call, waiting 0.2·2ⁿ s plus up to 1 s of jitter, capped at 5 s."""


class ServerVectorIndex:
    """``VectorIndex`` on a Qdrant server (``url``) or qdrant-client local mode (``path``).

    ``path=":memory:"`` keeps everything in memory. Local mode is single-process and slow
    (brute force); it exists so that this adapter can be tested without a server. Every call
    runs under ``retry``.
    """

    def __init__(
        self,
        url: str | None = None,
        api_key: str | None = None,
        path: str | None = None,
        prefer_grpc: bool = False,
        timeout: float = 10.0,
        *,
        retry: RetryPolicy = SERVER_RETRY,
    ) -> None:
        if (url is None) == (path is None):
            raise ConfigError("give exactly one of url (server) or path (local mode)")
        seconds = max(1, math.ceil(timeout))
        self._local = url is None
        self._retry = retry
        if url is not None:
            self._client = QdrantClient(
                url=url, api_key=api_key, prefer_grpc=prefer_grpc, timeout=seconds, check_compatibility=False
            )
        elif path == ":memory:":
            self._client = QdrantClient(location=":memory:")
        else:
            self._client = codec.call(
                retry, "open", lambda: QdrantClient(path=path, force_disable_check_same_thread=True)
            )
        # Local mode is not thread-safe; a server handles concurrency itself.
        self._guard: AbstractContextManager[Any] = threading.Lock() if self._local else nullcontext()
        self._dims: dict[str, int] = {}
        self._closed = False

    def __enter__(self) -> ServerVectorIndex:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- collections -------------------------------------------------------------------------

    def ensure_collection(self, spec: CollectionSpec) -> bool:
        """Create the collection and its payload indexes if missing; True if created."""
        name = spec.name
        created = False
        if not self._call("collection_exists", lambda: self._client.collection_exists(name)):
            try:
                created = self._call(
                    "create_collection",
                    lambda: self._client.create_collection(
                        name,
                        vectors_config=codec.vectors_config(spec),
                        sparse_vectors_config=codec.sparse_config(),
                    ),
                )
            except JurisgraphError as exc:  # another replica created it first
                if "already exists" not in exc.message:
                    raise
            if created:
                log.info("vector_collection_created", collection=name, store="server")
        if self._dim(name) != spec.dim:
            raise DimensionMismatch(f"collection {name} holds {self._dim(name)}-d vectors, not {spec.dim}")
        self._ensure_indexes(name)
        return created

    def list_collections(self) -> list[str]:
        """Collection names, sorted."""
        response = self._call("get_collections", self._client.get_collections)
        return sorted(c.name for c in response.collections)

    def drop_collection(self, collection: Target) -> None:
        """Delete a collection and the aliases pointing at it."""
        name = self._physical(collection)
        stale = [a for a, c in self.aliases().items() if c == name]
        if stale:
            ops: list[Any] = [codec.delete_alias(a) for a in stale]
            self._call("update_collection_aliases", lambda: self._client.update_collection_aliases(ops))
        if self._call("delete_collection", lambda: self._client.delete_collection(name)):
            log.info("vector_collection_dropped", collection=name, store="server")
        self._dims.pop(name, None)

    def optimize(self, target: Target) -> None:
        """No-op: the server runs its optimizers in the background."""
        self.count(target)

    # -- aliases -----------------------------------------------------------------------------

    def set_alias(self, alias: str, collection: Target) -> None:
        """Delete and create the alias in one request, which the server applies atomically."""
        check_name(alias)
        name = self._physical(collection)
        self._dim(name)
        if alias in self.list_collections():
            raise InvalidInput(f"{alias!r} is a collection name and cannot be an alias")
        ops: list[Any] = []
        if self.resolve_alias(alias) is not None:
            ops.append(codec.delete_alias(alias))
        ops.append(codec.create_alias(alias, name))
        self._call("update_collection_aliases", lambda: self._client.update_collection_aliases(ops))
        log.info("vector_alias_set", alias=alias, collection=name, store="server")

    def resolve_alias(self, alias: str) -> str | None:
        """The collection ``alias`` points at, or None."""
        return self.aliases().get(alias)

    def aliases(self) -> dict[str, str]:
        """All aliases and their collections."""
        response = self._call("get_aliases", self._client.get_aliases)
        return {a.alias_name: a.collection_name for a in response.aliases}

    # -- writes ------------------------------------------------------------------------------

    def upsert(self, spec: CollectionSpec, points: Iterable[VectorPoint]) -> int:
        """Validate every point, then write them in batches (wait=True); returns the count."""
        prepared = prepare_points(spec, points)
        if self._dim(spec.name) != spec.dim:
            raise DimensionMismatch(
                f"collection {spec.name} holds {self._dim(spec.name)}-d vectors, not {spec.dim}"
            )
        for start in range(0, len(prepared), BATCH):
            batch = [codec.client_point(p) for p in prepared[start : start + BATCH]]
            self._call("upsert", partial(self._client.upsert, spec.name, batch, wait=True))
        return len(prepared)

    def update_dense(self, spec: CollectionSpec, vectors: Mapping[str, DenseVector]) -> None:
        """Replace the dense vector of existing points (NotFound if one is missing)."""
        items = [
            qm.PointVectors(id=point_uuid(k), vector={DENSE: dense_list(v, spec.dim)})
            for k, v in vectors.items()
        ]
        self._dim(spec.name)
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            self._call("update_vectors", partial(self._client.update_vectors, spec.name, batch, wait=True))

    def delete(self, target: Target, ids: Iterable[str]) -> None:
        """Delete points by our id."""
        name = self._target(target)
        selector = qm.PointIdsList(points=[point_uuid(i) for i in ids])
        self.count(name)
        if selector.points:
            self._call("delete", lambda: self._client.delete(name, selector, wait=True))

    def delete_by_filter(self, target: Target, filter: Filter) -> None:
        """Delete every point matching a non-empty filter."""
        name = self._target(target)
        selector = qm.FilterSelector(filter=codec.client_filter_required(filter))
        self._call("delete", lambda: self._client.delete(name, selector, wait=True))

    # -- reads -------------------------------------------------------------------------------

    def retrieve(
        self, target: Target, ids: Iterable[str], *, with_vectors: bool = False
    ) -> list[VectorPoint]:
        """Stored points among ``ids``."""
        name = self._target(target)
        uuids: list[Any] = [point_uuid(i) for i in ids]
        records = self._call(
            "retrieve",
            lambda: self._client.retrieve(name, uuids, with_payload=True, with_vectors=with_vectors),
        )
        return [codec.to_vector_point(r, with_vectors) for r in records]

    def count(self, target: Target, filter: Filter | None = None) -> int:
        """Exact count."""
        name = self._target(target)
        flt = codec.client_filter(filter)
        result = self._call("count", lambda: self._client.count(name, count_filter=flt, exact=True))
        return int(result.count)

    def scroll(
        self, target: Target, *, batch: int = BATCH, filter: Filter | None = None
    ) -> Iterator[VectorPoint]:
        """Every point with vectors, a page at a time."""
        name = self._target(target)
        flt = codec.client_filter(filter)
        offset: Any = None
        while True:
            records, offset = self._call(
                "scroll",
                partial(
                    self._client.scroll,
                    name,
                    scroll_filter=flt,
                    limit=batch,
                    offset=offset,
                    with_payload=True,
                    with_vectors=True,
                ),
            )
            yield from (codec.to_vector_point(r) for r in records)
            if offset is None:
                return

    def search_dense(
        self, target: Target, vector: DenseVector, *, filter: Filter | None = None, limit: int = DEFAULT_LIMIT
    ) -> list[SearchHit]:
        """Cosine nearest neighbours."""
        name = self._target(target)
        query = query_dense(vector, target)
        return self._query(name, limit, query=query, using=DENSE, query_filter=codec.client_filter(filter))

    def search_sparse(
        self,
        target: Target,
        vector: SparseVector,
        *,
        filter: Filter | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> list[SearchHit]:
        """Sparse dot product with IDF; an empty query vector finds nothing."""
        name = self._target(target)
        if not vector:
            self.count(name)
            return []
        query = codec.client_sparse(vector)
        return self._query(name, limit, query=query, using=SPARSE, query_filter=codec.client_filter(filter))

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
        name = self._target(target)
        flt = codec.client_filter(filter)
        pool = candidates_for(limit, candidates)
        prefetch = [
            qm.Prefetch(query=query_dense(dense, target), using=DENSE, limit=pool, filter=flt),
            qm.Prefetch(query=codec.client_sparse(sparse), using=SPARSE, limit=pool, filter=flt),
        ]
        fusion = qm.RrfQuery(rrf=qm.Rrf(k=RRF_K))
        return self._query(name, limit, query=fusion, prefetch=prefetch, query_filter=flt)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the client; later calls raise ServiceUnavailable."""
        if not self._closed:
            self._closed = True
            with self._guard:
                self._client.close()

    # -- internals ---------------------------------------------------------------------------

    def _call(self, operation: str, fn: Callable[[], T]) -> T:
        if self._closed:
            raise ServiceUnavailable("the vector index is closed")

        def guarded() -> T:
            with self._guard:
                return fn()

        with timed(VECTOR_LATENCY, "server", operation):
            return codec.call(self._retry, operation, guarded)

    def _query(self, name: str, limit: int, **kwargs: Any) -> list[SearchHit]:
        if limit <= 0:
            raise InvalidInput("limit must be positive")
        response = self._call(
            "query_points", lambda: self._client.query_points(name, limit=limit, with_payload=True, **kwargs)
        )
        return [codec.to_hit(p) for p in response.points]

    def _dim(self, name: str) -> int:
        """Dense size of a physical collection (cached: a collection's size never changes)."""
        if name not in self._dims:
            info = self._call("get_collection", lambda: self._client.get_collection(name))
            vectors = info.config.params.vectors
            params = vectors.get(DENSE) if isinstance(vectors, dict) else None
            if params is None:
                raise InvalidInput(f"collection {name} has no {DENSE!r} vector")
            self._dims[name] = params.size
        return self._dims[name]

    def _ensure_indexes(self, name: str) -> None:
        info = self._call("get_collection", lambda: self._client.get_collection(name))
        existing = set(info.payload_schema or {})
        for field_name, schema in codec.payload_indexes():
            if field_name in existing:
                continue
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Payload indexes have no effect")
                self._call(
                    "create_payload_index",
                    partial(self._client.create_payload_index, name, field_name, schema, wait=True),
                )

    def _target(self, target: Target) -> str:
        return target.name if isinstance(target, CollectionSpec) else check_name(target)

    def _physical(self, collection: Target) -> str:
        if isinstance(collection, CollectionSpec):
            return collection.name
        name = check_name(collection)
        if name in self.aliases() and name not in self.list_collections():
            raise InvalidInput(f"{name!r} is an alias; name the collection itself")
        return name

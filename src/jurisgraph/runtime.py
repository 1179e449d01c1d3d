"""Everything a process keeps alive, in one place: the :class:`Container`.

Built once per process by the app's lifespan or a CLI command, closed on exit; nothing here
connects at import time. A container holds:

- ``settings``, the database ``engine`` and the ``sessions`` factory (built at once);
- the vector index (Qdrant server, or the embedded engine's folder), the embedder of the
  configured model, the BM25 sparse encoder, the raw chat model and the LLM gateway over it,
  and the in-process jobs runner — each built on first use, thread-safe;
- the embedders of other models that a re-index builds, one per (provider, model, dim);
- the name index of entities that questions are linked against (:class:`NameIndexCache`) and
  the community reports that global questions rank (:class:`ReportIndexCache`);
- the rate limiter of queries and logins (memory, or Redis when ``REDIS_URL`` is set);
- the foreground gate (:class:`~jurisgraph.engine.embedding.ForegroundGate`) that requests
  enter, so that background embedding (:meth:`Container.background_embedder`) stands aside
  while questions and searches are in flight.

The configured embedder answers queries through an LRU of query vectors
(:class:`~jurisgraph.engine.embedding.QueryVectorCache`): a repeated question is not embedded
again. Behind the LRU, a model that can embed several queries in one call (the local one) gets
the queries that arrive while it is busy together
(:class:`~jurisgraph.engine.embedding.CoalescingQueryEmbedder`).

Request-path services never receive the container: edges hand them what they need (a
:class:`Retrieval` for searches, the name-index cache, the gateway, a settings section) with a
session. Pipeline runs and batch vector commands, edges of their own, take the container.

:meth:`Container.close` stops the jobs runner first (jobs use the other clients), then closes
every client that was built, then the database pool.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
import structlog

from jurisgraph.config import EmbeddingSettings, Settings
from jurisgraph.db import Engine, Session, build_engine, build_sessionmaker, ping, sessionmaker
from jurisgraph.engine.embedding import (
    CoalescingQueryEmbedder,
    Embedder,
    ForegroundGate,
    QueryBatchEmbedder,
    QueryVectorCache,
    YieldingEmbedder,
)
from jurisgraph.engine.llm import ChatModel
from jurisgraph.engine.query import NameIndex, ReportIndex
from jurisgraph.engine.vectors import SparseEncoder, VectorIndex
from jurisgraph.errors import JurisgraphError, NotFound, ServiceUnavailable
from jurisgraph.integrations.storage import ObjectStore, build_object_store
from jurisgraph.kit.ratelimit import RateLimiter
from jurisgraph.kit.stamped import StampedCache
from jurisgraph.kit.throttle import Throttle, build_throttle

if TYPE_CHECKING:
    from jurisgraph.gateway import Gateway
    from jurisgraph.integrations.oidc import OidcClient
    from jurisgraph.jobs import JobQueue

log = structlog.get_logger(__name__)
T = TypeVar("T")
QUERY_VECTORS = 4096
"""Query vectors kept by the LRU around the configured embedder (~1.6 kB each at 384-d)."""
BACKGROUND_BATCH = 4
"""Texts per background embedding call while requests come: a query waits behind one at most."""
QUERY_BATCH = 16
"""Concurrent queries embedded together in one call at most (local model)."""


class Lazy(Generic[T]):
    """One client, built by ``factory`` on first :meth:`get` (thread-safe) and closed by :meth:`close`."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._value: T | None = None

    def get(self) -> T:
        """The client, built now if it was not yet."""
        with self._lock:
            if self._value is None:
                self._value = self._factory()
            return self._value

    def set(self, value: T) -> None:
        """Use ``value`` instead of building one (before first use: a replaced client is not closed)."""
        with self._lock:
            self._value = value

    def built(self) -> T | None:
        """The client if it was built, else None (never builds)."""
        return self._value

    def close(self) -> None:
        """Close the client if it was built (and has ``close``); the next :meth:`get` builds anew."""
        with self._lock:
            value, self._value = self._value, None
        closer = getattr(value, "close", None)
        if callable(closer):
            closer()


#: workspaces whose name and report indexes a process keeps: the public one and the private
#: ones of recent askers (small), least recently asked about dropped first
INDEXED_WORKSPACES = 256


class NameIndexCache(StampedCache[NameIndex]):
    """The entity-name index of each workspace recently asked about (a question reads the union
    of its workspaces' indexes), rebuilt only when that workspace's nodes change (the caller gives
    a ``stamp`` that changes with them)."""

    def __init__(self) -> None:
        super().__init__(entries=INDEXED_WORKSPACES)


class ReportIndexCache(StampedCache[ReportIndex]):
    """The community reports of each workspace recently asked about, tokenised; rebuilt only
    when its communities change."""

    def __init__(self) -> None:
        super().__init__(entries=INDEXED_WORKSPACES)


@dataclass(frozen=True)
class Retrieval:
    """The clients a search uses, each built on first call: the vector index, the query embedder
    (only dense and hybrid searches need it) and the sparse encoder."""

    vector_index: Callable[[], VectorIndex]
    embedder: Callable[[], Embedder]
    sparse_encoder: Callable[[], SparseEncoder]


class Container:
    """Process-wide clients; use :meth:`build` and :meth:`close`."""

    def __init__(self, settings: Settings, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self.settings = settings
        self.engine = engine
        self.sessions = sessions
        #: entity names linked in questions, per readable workspaces
        self.name_indexes = NameIndexCache()
        #: community reports ranked by global questions, per readable workspaces
        self.report_indexes = ReportIndexCache()
        #: requests in flight; background embedding waits while it is not quiet
        self.foreground = ForegroundGate()
        self._vector_index: Lazy[VectorIndex] = Lazy(self._build_vector_index)
        self._embedder: Lazy[Embedder] = Lazy(
            lambda: QueryVectorCache(_coalescing(_build_embedder(settings, self.throttle())), QUERY_VECTORS)
        )
        self._sparse_encoder: Lazy[SparseEncoder] = Lazy(_build_sparse_encoder)
        self._chat_model: Lazy[ChatModel] = Lazy(self._build_chat_model)
        self._gateway: Lazy[Gateway] = Lazy(self._build_gateway)
        self._jobs: Lazy[JobQueue] = Lazy(self._build_jobs)
        self._rate_limiter: Lazy[RateLimiter] = Lazy(
            lambda: RateLimiter(settings.redis.url, key_prefix=settings.redis.key_prefix)
        )
        self._throttle: Lazy[Throttle] = Lazy(
            lambda: build_throttle(settings.redis.url, key_prefix=settings.redis.key_prefix)
        )
        self._oidc: Lazy[OidcClient] = Lazy(self._build_oidc)
        self._storage: Lazy[ObjectStore] = Lazy(self._build_storage)
        self._other_embedders: dict[tuple[str, str, int | None], Lazy[Embedder]] = {}
        self._lock = threading.Lock()

    @classmethod
    def build(cls, settings: Settings) -> Container:
        """Create the database engine and session factory for ``settings``."""
        settings.home.mkdir(parents=True, exist_ok=True)
        engine = build_engine(
            settings.database_url,
            echo=settings.database.echo,
            pool_size=settings.database.pool_size,
            busy_timeout_ms=settings.database.sqlite_busy_timeout_ms,
        )
        return cls(settings=settings, engine=engine, sessions=build_sessionmaker(engine))

    def provide(
        self,
        *,
        vector_index: VectorIndex | None = None,
        embedder: Embedder | None = None,
        sparse_encoder: SparseEncoder | None = None,
    ) -> None:
        """Use these ready-made clients instead of building them (tests and benchmarks: a
        shared embedded store, a query embedder that never loads the model)."""
        if vector_index is not None:
            self._vector_index.set(vector_index)
        if embedder is not None:
            self._embedder.set(embedder)
        if sparse_encoder is not None:
            self._sparse_encoder.set(sparse_encoder)

    def vector_index(self) -> VectorIndex:
        """The vector store: Qdrant server when QDRANT_URL is set, else the embedded engine."""
        return self._vector_index.get()

    def release_vector_index(self) -> None:
        """Close the vector index if it was built; the next :meth:`vector_index` opens it anew
        (after its files were replaced underneath, by a restore)."""
        self._vector_index.close()

    def embedder(self) -> Embedder:
        """The configured embedding model; queries through an LRU of their vectors, documents
        uncached (the pipeline adds the content-hash cache)."""
        return self._embedder.get()

    def background_embedder(self) -> Embedder:
        """The configured embedder for background indexing: small batches, each only once no
        request has been in flight for a moment (see :class:`ForegroundGate`)."""
        return YieldingEmbedder(
            self.embedder(),
            self.foreground,
            small_batch=BACKGROUND_BATCH,
            large_batch=max(BACKGROUND_BATCH, self.settings.embedding.batch_size),
        )

    def embedder_for(self, provider: str, model: str, dim: int | None) -> Embedder:
        """The embedder of another model (a re-index target), configured like the current one;
        one per (provider, model, dim)."""
        key = (provider, model, dim)
        with self._lock:
            lazy = self._other_embedders.get(key)
            if lazy is None:
                cfg = self.settings.embedding.model_copy(
                    update={"provider": provider, "model": model, "dim": dim}
                )
                settings = self.settings.model_copy(update={"embedding": cfg})
                lazy = self._other_embedders[key] = Lazy(lambda: _build_embedder(settings, self.throttle()))
        return lazy.get()

    def sparse_encoder(self) -> SparseEncoder:
        """The BM25-style sparse encoder (Portuguese stemming, legal identifiers kept)."""
        return self._sparse_encoder.get()

    def retrieval(self) -> Retrieval:
        """The clients of a search, each built on first use."""
        return Retrieval(self.vector_index, self.embedder, self.sparse_encoder)

    def chat_model(self) -> ChatModel:
        """The configured chat model, raw (no retries, ledger or budgets: use :meth:`gateway`)."""
        return self._chat_model.get()

    def gateway(self) -> Gateway:
        """The LLM gateway over :meth:`chat_model`: retries, limits, reply cache, ledger, budgets.
        One per process (its limits are per instance)."""
        return self._gateway.get()

    def configured_gateway(self) -> Gateway | None:
        """The gateway when an LLM provider is configured and can be built, else None (answers
        are then extractive; a gateway that cannot be built is logged as a warning)."""
        if self.settings.llm.provider == "none":
            return None
        try:
            gateway = self.gateway()
        except JurisgraphError as exc:
            log.warning("llm_gateway_unavailable", error=exc.message)
            return None
        return gateway if gateway.provider != "none" else None

    def jobs(self) -> JobQueue:
        """The jobs queue: in-process threads (embedded) or Dramatiq on Redis (``REDIS_URL`` set)."""
        return self._jobs.get()

    def rate_limiter(self) -> RateLimiter:
        """The query and login rate limits: in Redis when REDIS_URL is set (shared by every
        process), else in this process's memory."""
        return self._rate_limiter.get()

    def throttle(self) -> Throttle:
        """The limits on calls to the LLM, the embedding API and the portal: in Redis when
        REDIS_URL is set (shared by every process), else in this process."""
        return self._throttle.get()

    def oidc(self) -> OidcClient:
        """The OpenID Connect issuer of sign-ins; :class:`NotFound` when none is configured."""
        if not self.settings.auth.oidc_enabled:
            raise NotFound("OIDC sign-in is not configured", code="oidc_not_configured")
        return self._oidc.get()

    def storage(self) -> ObjectStore:
        """The object store of documents: the local folder or the S3 bucket of ``settings.storage``."""
        return self._storage.get()

    def check_database(self) -> None:
        """Raise :class:`ServiceUnavailable` when the database does not answer."""
        ping(self.engine)

    def check_vector_store(self) -> None:
        """Raise :class:`ServiceUnavailable` when the vector store cannot be used."""
        url = self.settings.vectors.qdrant_url
        if url:
            headers = {}
            key = self.settings.vectors.qdrant_api_key.get_secret_value()
            if key:
                headers["api-key"] = key
            try:
                response = httpx.get(url.rstrip("/") + "/readyz", headers=headers, timeout=3.0)
            except httpx.HTTPError as exc:
                raise ServiceUnavailable(f"vector store unavailable: {exc}") from exc
            if response.status_code >= 400:
                raise ServiceUnavailable(f"vector store unavailable: HTTP {response.status_code}")
            return
        index = self._vector_index.built()
        if index is not None:
            try:
                index.list_collections()
            except Exception as exc:
                raise ServiceUnavailable(f"vector store unavailable: {exc}") from exc
            return
        path = self.settings.vectors_path
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ServiceUnavailable(f"vector store folder unusable: {exc}") from exc
        probe = path / ".ready"
        try:
            probe.write_text("ok")
        except OSError as exc:
            raise ServiceUnavailable(f"vector store folder not writable: {exc}") from exc

    def close(self) -> None:
        """Stop the jobs runner, close every client that was built, then the database pool."""
        with self._lock:
            others = list(self._other_embedders.values())
            self._other_embedders.clear()
        clients: list[Lazy[Any]] = [
            self._jobs,
            self._gateway,
            self._chat_model,
            *others,
            self._embedder,
            self._sparse_encoder,
            self._vector_index,
            self._storage,
        ]
        for client in clients:
            client.close()
        self.engine.dispose()

    def _build_vector_index(self) -> VectorIndex:
        cfg = self.settings.vectors
        if cfg.qdrant_url:
            from jurisgraph.integrations.qdrant.server import ServerVectorIndex

            return ServerVectorIndex(
                url=cfg.qdrant_url, api_key=cfg.qdrant_api_key.get_secret_value() or None
            )
        from jurisgraph.integrations.qdrant.edge import EdgeVectorIndex

        return EdgeVectorIndex(self.settings.vectors_path)

    def _build_storage(self) -> ObjectStore:
        cfg = self.settings.storage
        return build_object_store(
            cfg.backend,
            path=self.settings.storage_path,
            bucket=cfg.s3_bucket,
            endpoint_url=cfg.s3_endpoint_url,
            access_key_id=cfg.s3_access_key_id.get_secret_value(),
            secret_access_key=cfg.s3_secret_access_key.get_secret_value(),
        )

    def _build_chat_model(self) -> ChatModel:
        from jurisgraph.integrations.llm import build_chat_model

        cfg = self.settings.llm
        common: dict[str, Any] = {"model": cfg.model, "models": cfg.models, "timeout": cfg.timeout_s}
        if cfg.provider == "gemini":
            return build_chat_model(
                "gemini",
                api_key=cfg.gemini_api_key.get_secret_value(),
                base_url=cfg.base_url or None,
                **common,
            )
        if cfg.provider == "openai":
            return build_chat_model(
                "openai",
                base_url=cfg.openai_base_url,
                api_key=cfg.openai_api_key.get_secret_value(),
                json_mode=cfg.openai_json_mode,
                **common,
            )
        return build_chat_model("none")

    def _build_gateway(self) -> Gateway:
        # imported here: the default configuration (no LLM) never loads the gateway
        from jurisgraph.gateway import Gateway, GatewaySettings

        return Gateway(
            self.chat_model(),
            self.sessions,
            settings=GatewaySettings.from_llm(self.settings.llm),
            throttle=self.throttle(),
        )

    def _build_oidc(self) -> OidcClient:
        from jurisgraph.integrations.oidc import OidcClient

        return OidcClient(self.settings.auth)

    def _build_jobs(self) -> JobQueue:
        from jurisgraph.jobs import InProcessJobs, JobTimings

        cfg = self.settings.pipeline
        timings = JobTimings(
            heartbeat_s=cfg.job_heartbeat_s, stale_s=cfg.job_stale_s, max_retries=cfg.job_max_retries
        )
        if self.settings.redis.url:
            from jurisgraph.jobs.broker import DramatiqJobs

            redis = self.settings.redis
            return DramatiqJobs(
                self.sessions, redis.url, lambda: self, timings=timings, namespace=redis.key_prefix
            )
        return InProcessJobs(self.sessions, lambda: self, timings=timings)


def _build_embedder(settings: Settings, throttle: Throttle) -> Embedder:
    """The embedder that ``settings.embedding`` describes (keys and URLs from ``settings.llm``);
    a remote one keeps its limits in ``throttle``."""
    from jurisgraph.integrations.embeddings import build_embedder

    cfg: EmbeddingSettings = settings.embedding
    llm = settings.llm
    common: dict[str, Any] = {"batch_size": cfg.batch_size}
    if cfg.provider == "local":
        return build_embedder("local", model=cfg.model, dim=cfg.dim, **common)
    remote = {
        **common,
        "concurrency": cfg.concurrency,
        "rpm": cfg.rpm,
        "throttle": throttle,
        "max_retries": cfg.max_retries,
        "dim": cfg.dim,
        "model": cfg.model,
    }
    if cfg.provider == "gemini":
        return build_embedder(
            "gemini",
            api_key=llm.gemini_api_key.get_secret_value(),
            base_url=cfg.base_url or None,
            **remote,
        )
    return build_embedder(
        "openai",
        base_url=cfg.base_url or llm.openai_base_url,
        api_key=llm.openai_api_key.get_secret_value(),
        **remote,
    )


def _coalescing(embedder: Embedder) -> Embedder:
    """``embedder`` with concurrent queries batched together when it can embed several at once."""
    if isinstance(embedder, QueryBatchEmbedder):
        return CoalescingQueryEmbedder(embedder, QUERY_BATCH)
    return embedder


def _build_sparse_encoder() -> SparseEncoder:
    from jurisgraph.integrations.qdrant.sparse import Bm25Encoder

    return Bm25Encoder()

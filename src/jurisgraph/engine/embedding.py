"""Embedding port: what the engine needs from an embedding model, plus pure helpers.

An :class:`Embedder` turns texts into L2-normalised float32 vectors of a fixed dimension.
Its :class:`ModelSignature` names the provider, model and dimension; the signature's
``slug`` goes into vector collection names and cache keys, so vectors from different
models (or different output sizes of one model) are never mixed.

:class:`CachedEmbedder` wraps any embedder with an :class:`EmbeddingCache` so that a text
is embedded at most once per signature.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import structlog

from jurisgraph.errors import DimensionMismatch, UpstreamError

log = structlog.get_logger(__name__)

Vector = npt.NDArray[np.float32]
"""One embedding, shape ``(dim,)``."""

Matrix = npt.NDArray[np.float32]
"""Several embeddings, shape ``(n, dim)``, one row per input text."""

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class ModelSignature:
    """Identity of an embedding space: vectors with different signatures are incomparable."""

    provider: str
    model: str
    dim: int

    def __post_init__(self) -> None:
        if self.dim <= 0:
            raise ValueError(f"embedding dimension must be positive, got {self.dim}")

    @property
    def slug(self) -> str:
        """Stable ``[a-z0-9_]`` name, e.g. ``gemini_gemini_embedding_001_768``."""
        parts = (self.provider, self.model, str(self.dim))
        return "_".join(_SLUG_JUNK.sub("_", p.lower()).strip("_") for p in parts)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit vectors of ``signature.dim`` float32 values."""

    @property
    def signature(self) -> ModelSignature:
        """Provider, model and dimension of the vectors this embedder returns."""
        ...

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        """Embed passages for storage; row ``i`` belongs to ``texts[i]``; shape ``(len(texts), dim)``."""
        ...

    def embed_query(self, text: str) -> Vector:
        """Embed a search query; shape ``(dim,)``."""
        ...


class EmbeddingCache(Protocol):
    """Vectors of documents keyed by (signature slug, content hash)."""

    def get_many(self, signature_slug: str, hashes: Sequence[str]) -> dict[str, Vector]:
        """Return the stored vectors among ``hashes``; missing hashes are simply absent."""
        ...

    def put_many(self, signature_slug: str, vectors: Mapping[str, Vector]) -> None:
        """Store vectors by content hash; storing an existing key again is harmless."""
        ...


def content_hash(text: str) -> str:
    """Hex sha256 of the UTF-8 text: the cache key of a text's vector."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def l2_normalize(matrix: npt.ArrayLike) -> Matrix:
    """Return float32 rows scaled to unit length (all-zero rows stay zero)."""
    arr = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(arr, axis=-1, keepdims=True)
    norms[norms == 0.0] = 1.0
    out: Matrix = (arr / norms).astype(np.float32, copy=False)
    return out


def check_matrix(matrix: npt.ArrayLike, rows: int, signature: ModelSignature) -> Matrix:
    """Return ``matrix`` as float32 ``(rows, dim)`` or raise.

    A wrong number of vectors raises :class:`UpstreamError`; a wrong width raises
    :class:`DimensionMismatch` (status 502: the model answered with another size).
    """
    arr = np.asarray(matrix, dtype=np.float32)
    who = f"{signature.provider} model {signature.model!r}"
    if arr.ndim != 2 or arr.shape[0] != rows:
        raise UpstreamError(f"{who} returned {arr.shape[0] if arr.ndim else 0} vectors for {rows} texts")
    if arr.shape[1] != signature.dim:
        raise DimensionMismatch(
            f"{who} returned vectors of dimension {arr.shape[1]}, expected {signature.dim}",
            status_code=502,
        )
    if not np.all(np.isfinite(arr)):
        raise UpstreamError(f"{who} returned non-finite vector values")
    return arr


class CachedEmbedder:
    """An :class:`Embedder` that asks ``inner`` only for texts the cache does not hold.

    Identical texts in one call are embedded once; rows come back in input order. Queries
    are passed straight through (they are short-lived and use another prefix/task type).
    """

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self._inner = inner
        self._cache = cache

    @property
    def signature(self) -> ModelSignature:
        return self._inner.signature

    @property
    def inner(self) -> Embedder:
        return self._inner

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        sig = self._inner.signature
        hashes = [content_hash(t) for t in texts]
        unique = list(dict.fromkeys(hashes))
        found = {h: v for h, v in self._cache.get_many(sig.slug, unique).items() if _fits(v, sig)}
        text_of = dict(zip(hashes, texts, strict=True))
        missing = [h for h in unique if h not in found]
        if missing:
            fresh = check_matrix(
                self._inner.embed_documents([text_of[h] for h in missing]), len(missing), sig
            )
            new = dict(zip(missing, fresh, strict=True))
            self._cache.put_many(sig.slug, new)
            found.update(new)
        log.debug("embedding.cache", texts=len(texts), unique=len(unique), embedded=len(missing))
        out = np.empty((len(texts), sig.dim), dtype=np.float32)
        for i, h in enumerate(hashes):
            out[i] = found[h]
        return out

    def embed_query(self, text: str) -> Vector:
        return self._inner.embed_query(text)


def _fits(vector: Vector, signature: ModelSignature) -> bool:
    """A cached vector is usable only if it has the signature's width."""
    if vector.shape == (signature.dim,):
        return True
    log.warning("embedding.cache_bad_vector", slug=signature.slug, shape=vector.shape)
    return False

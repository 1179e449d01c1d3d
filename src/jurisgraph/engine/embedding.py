"""Embedding port: what the engine needs from an embedding model, plus pure helpers.

An :class:`Embedder` turns texts into L2-normalised float32 vectors of a fixed dimension.
Its :class:`ModelSignature` names the provider, model and dimension; the signature's
``slug`` goes into vector collection names and cache keys, so vectors from different
models (or different output sizes of one model) are never mixed.

:class:`CachedEmbedder` wraps any embedder with an :class:`EmbeddingCache` so that a text
is embedded at most once per signature. :class:`QueryVectorCache` keeps the vectors of recent
queries (a repeated question is not embedded again). :class:`CoalescingQueryEmbedder` embeds
the queries that arrive while the model is busy together, in its next call.
:class:`ForegroundGate` counts the
requests in flight; :class:`YieldingEmbedder` embeds background batches only when the gate is
quiet, in small batches while requests come, so a query waits behind one small batch at most.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
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


@runtime_checkable
class QueryBatchEmbedder(Embedder, Protocol):
    """An :class:`Embedder` that can also embed several queries in one call."""

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        """Embed search queries; row ``i`` belongs to ``texts[i]``; equal to one call per text."""
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


class EmbedderWrapper:
    """Base of the embedders that wrap another: the signature is the wrapped one's, ``inner``
    is the wrapped embedder, and documents and queries pass straight through unless the
    subclass changes them."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner

    @property
    def signature(self) -> ModelSignature:
        return self._inner.signature

    @property
    def inner(self) -> Embedder:
        return self._inner

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> Vector:
        return self._inner.embed_query(text)


class CachedEmbedder(EmbedderWrapper):
    """An :class:`Embedder` that asks ``inner`` only for texts the cache does not hold.

    Identical texts in one call are embedded once; rows come back in input order. Queries
    are passed straight through (they are short-lived and use another prefix/task type).
    """

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        super().__init__(inner)
        self._cache = cache

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


def _fits(vector: Vector, signature: ModelSignature) -> bool:
    """A cached vector is usable only if it has the signature's width."""
    if vector.shape == (signature.dim,):
        return True
    log.warning("embedding.cache_bad_vector", slug=signature.slug, shape=vector.shape)
    return False


class QueryVectorCache(EmbedderWrapper):
    """An :class:`Embedder` that remembers the vectors of the last ``size`` queries (LRU).

    Documents pass straight through (the pipeline has its own content-hash cache). A cached
    vector is returned as a read-only array, so no caller can alter what others will receive.
    """

    def __init__(self, inner: Embedder, size: int = 2048) -> None:
        if size < 1:
            raise ValueError(f"query cache size must be at least 1, got {size}")
        super().__init__(inner)
        self._size = size
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, Vector] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def embed_query(self, text: str) -> Vector:
        with self._lock:
            found = self._vectors.get(text)
            if found is not None:
                self._vectors.move_to_end(text)
                self.hits += 1
                return found
            self.misses += 1
        vector = np.array(self._inner.embed_query(text), dtype=np.float32)
        vector.setflags(write=False)
        with self._lock:
            self._vectors[text] = vector
            self._vectors.move_to_end(text)
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)
        return vector

    def close(self) -> None:
        """Close the inner embedder when it can be closed."""
        closer = getattr(self._inner, "close", None)
        if callable(closer):
            closer()


class _Pending:
    """One query waiting in a :class:`CoalescingQueryEmbedder`: its text, then its outcome."""

    __slots__ = ("done", "error", "text", "vector")

    def __init__(self, text: str) -> None:
        self.text = text
        self.done = False
        self.vector: Vector | None = None
        self.error: BaseException | None = None


class CoalescingQueryEmbedder(EmbedderWrapper):
    """An :class:`Embedder` whose concurrent queries share one model call (micro-batching).

    A query that finds the model idle is embedded at once, alone: nothing waits for company.
    Queries that arrive while a call runs queue up; when it ends, one of them embeds the queue
    (up to ``max_batch`` texts, its own first) in a single :meth:`QueryBatchEmbedder.embed_queries`
    call and hands every caller its own row. An error of that call is raised in every caller of
    the batch. Documents pass straight through.
    """

    def __init__(self, inner: QueryBatchEmbedder, max_batch: int = 16) -> None:
        if max_batch < 1:
            raise ValueError(f"query batch size must be at least 1, got {max_batch}")
        super().__init__(inner)
        self._batcher = inner
        self.max_batch = max_batch
        self._cond = threading.Condition()
        self._queue: list[_Pending] = []
        self._busy = False
        self.calls = 0
        self.queries = 0

    @property
    def waiting(self) -> int:
        """Queries queued behind the call that runs now."""
        with self._cond:
            return len(self._queue)

    def embed_query(self, text: str) -> Vector:
        mine = _Pending(text)
        with self._cond:
            self._queue.append(mine)
            while self._busy and not mine.done:
                self._cond.wait()
            if not mine.done:
                # the model is idle: embed this query and whatever queued with it
                self._busy = True
                self._queue.remove(mine)
                batch = [mine, *self._queue[: self.max_batch - 1]]
                del self._queue[: len(batch) - 1]
        if not mine.done:
            self._run(batch)
        if mine.error is not None:
            raise mine.error
        assert mine.vector is not None
        return mine.vector

    def _run(self, batch: list[_Pending]) -> None:
        """Embed ``batch`` in one call, settle each entry, then let the next caller in."""
        try:
            matrix = check_matrix(
                self._batcher.embed_queries([p.text for p in batch]), len(batch), self._inner.signature
            )
            for pending, row in zip(batch, matrix, strict=True):
                pending.vector = row
        except BaseException as exc:
            for pending in batch:
                pending.error = exc
        finally:
            with self._cond:
                for pending in batch:
                    pending.done = True
                self.calls += 1
                self.queries += len(batch)
                self._busy = False
                self._cond.notify_all()

    def close(self) -> None:
        """Log how many queries went in how many calls; close the inner embedder when it can be."""
        if self.calls:
            log.info("embedding.query_batches", calls=self.calls, queries=self.queries)
        closer = getattr(self._inner, "close", None)
        if callable(closer):
            closer()


class ForegroundGate:
    """Counts foreground work (requests) in flight, so that background work can stand aside.

    Foreground code wraps its work in :meth:`entered`; background code calls
    :meth:`wait_quiet` before each unit of work: it returns once nothing has been in flight for
    ``quiet_s`` seconds, or after ``max_wait_s`` at most (background work always progresses).
    """

    def __init__(self, quiet_s: float = 0.05, max_wait_s: float = 5.0) -> None:
        self.quiet_s = quiet_s
        self.max_wait_s = max_wait_s
        self._cond = threading.Condition()
        self._active = 0
        self._last_left = float("-inf")
        self.waited_s = 0.0

    @property
    def active(self) -> int:
        """Foreground units in flight now."""
        return self._active

    def enter(self) -> None:
        with self._cond:
            self._active += 1

    def leave(self) -> None:
        with self._cond:
            self._active = max(0, self._active - 1)
            self._last_left = time.monotonic()
            self._cond.notify_all()

    @contextmanager
    def entered(self) -> Iterator[None]:
        """Foreground work in flight for the duration of the block."""
        self.enter()
        try:
            yield
        finally:
            self.leave()

    def seen_within(self, seconds: float) -> bool:
        """Whether foreground work is in flight or ended less than ``seconds`` ago."""
        with self._cond:
            return self._active > 0 or time.monotonic() - self._last_left < seconds

    def wait_quiet(self) -> bool:
        """Wait until no foreground work has run for ``quiet_s``; False when ``max_wait_s`` ran out."""
        started = time.monotonic()
        deadline = started + self.max_wait_s
        with self._cond:
            while True:
                now = time.monotonic()
                quiet_at = self._last_left + self.quiet_s
                if self._active == 0 and now >= quiet_at:
                    self.waited_s += now - started
                    return True
                if now >= deadline:
                    self.waited_s += now - started
                    return False
                until = deadline if self._active else min(deadline, quiet_at)
                self._cond.wait(max(0.001, until - now))


class YieldingEmbedder(EmbedderWrapper):
    """An :class:`Embedder` for background indexing that stands aside for foreground queries.

    Documents go to ``inner`` batch by batch, each after :meth:`ForegroundGate.wait_quiet`.
    While foreground work has been seen in the last ``recent_s`` seconds the batches are
    ``small_batch`` texts (a query waits behind one such batch at most); otherwise they are
    ``large_batch`` texts (small batches cost the CPU embedder throughput). When requests keep
    coming past the gate's ``max_wait_s``, one text goes at a time. Queries go straight to
    ``inner``.
    """

    def __init__(
        self,
        inner: Embedder,
        gate: ForegroundGate,
        *,
        small_batch: int = 4,
        large_batch: int = 32,
        recent_s: float = 30.0,
    ) -> None:
        if small_batch < 1 or large_batch < small_batch:
            raise ValueError(f"need 1 <= small_batch <= large_batch, got {small_batch}, {large_batch}")
        super().__init__(inner)
        self._gate = gate
        self.small_batch = small_batch
        self.large_batch = large_batch
        self.recent_s = recent_s

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        sig = self._inner.signature
        if not texts:
            return np.empty((0, sig.dim), dtype=np.float32)
        parts: list[Matrix] = []
        start = 0
        while start < len(texts):
            if not self._gate.wait_quiet():
                size = 1  # requests never stop coming: progress by one text at a time
            elif self._gate.seen_within(self.recent_s):
                size = self.small_batch
            else:
                size = self.large_batch
            batch = list(texts[start : start + size])
            parts.append(check_matrix(self._inner.embed_documents(batch), len(batch), sig))
            start += len(batch)
        return np.vstack(parts)

"""Shared machinery of the HTTP embedders: batching, a thread pool over batches, retries, checks.

The SDKs' own retries are switched off: :func:`call_with_retries` applies the service's one
:class:`~jurisgraph.kit.retry.RetryPolicy` to :class:`TransientUpstreamError` failures.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import structlog

from jurisgraph.engine.embedding import Matrix, ModelSignature, Vector, check_matrix, l2_normalize
from jurisgraph.errors import DimensionMismatch, RetryableUpstreamError
from jurisgraph.integrations.upstream import TransientUpstreamError
from jurisgraph.kit.retry import RetryPolicy
from jurisgraph.kit.throttle import LocalThrottle, Throttle
from jurisgraph.metrics import observe_embedding

log = structlog.get_logger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class Kind(enum.Enum):
    """What a text is embedded for; providers map it to a task type, prefix or input type."""

    DOCUMENT = "document"
    QUERY = "query"


def batched(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Consecutive slices of at most ``size`` items."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    return [items[i : i + size] for i in range(0, len(items), size)]


def map_in_order(fn: Callable[[T], R], items: Sequence[T], concurrency: int) -> list[R]:
    """``[fn(x) for x in items]`` on up to ``concurrency`` threads; the first error cancels the rest."""
    if concurrency <= 1 or len(items) <= 1:
        return [fn(x) for x in items]
    pool = ThreadPoolExecutor(max_workers=min(concurrency, len(items)), thread_name_prefix="embed")
    try:
        futures: list[Future[R]] = [pool.submit(fn, x) for x in items]
        return [f.result() for f in futures]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def stack_rows(rows: Sequence[Sequence[float]], signature: ModelSignature) -> Matrix:
    """Rows of floats from a reply as a float32 matrix; rows of another width raise DimensionMismatch."""
    widths = {len(r) for r in rows}
    if widths and widths != {signature.dim}:
        raise DimensionMismatch(
            f"{signature.provider} model {signature.model!r} returned vectors of dimension "
            f"{sorted(widths)}, expected {signature.dim}",
            status_code=502,
        )
    return np.asarray(rows, dtype=np.float32).reshape(len(rows), signature.dim)


def call_with_retries(fn: Callable[[], T], policy: RetryPolicy, what: str) -> T:
    """Run ``fn`` under ``policy``, retrying :class:`TransientUpstreamError` only.

    When retries run out, raise :class:`RetryableUpstreamError` naming ``what``, the number of
    attempts and the last failure. Any other error propagates unchanged at once.
    """
    try:
        return policy.call(fn, transient=TransientUpstreamError, what=what, log_event="embedding.retry")
    except TransientUpstreamError as exc:
        plural = "s" if policy.attempts != 1 else ""
        raise RetryableUpstreamError(
            f"{what}: gave up after {policy.attempts} attempt{plural}; last error: {exc}"
        ) from exc


class RemoteEmbedder(ABC):
    """Base of the API embedders; subclasses implement one raw request in :meth:`_request`."""

    def __init__(
        self,
        signature: ModelSignature,
        *,
        batch_size: int,
        concurrency: int,
        retry: RetryPolicy,
        normalize: bool = True,
        rpm: int = 0,
        throttle: Throttle | None = None,
    ) -> None:
        if batch_size < 1 or concurrency < 1:
            raise ValueError("batch_size and concurrency must be at least 1")
        self._signature = signature
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.retry = retry
        self.normalize = normalize
        self.rpm = rpm
        self.throttle: Throttle = throttle or LocalThrottle()
        self._limit_name = f"embed:{signature.provider}"

    @property
    def signature(self) -> ModelSignature:
        return self._signature

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.empty((0, self._signature.dim), dtype=np.float32)
        parts = map_in_order(
            lambda batch: self._embed_batch(batch, Kind.DOCUMENT),
            batched(list(texts), self.batch_size),
            self.concurrency,
        )
        return np.vstack(parts)

    def embed_query(self, text: str) -> Vector:
        row: Vector = self._embed_batch([text], Kind.QUERY)[0]
        return row

    def _embed_batch(self, texts: Sequence[str], kind: Kind) -> Matrix:
        sig = self._signature
        what = f"{sig.provider} embeddings (model {sig.model})"
        with observe_embedding(sig.provider, kind.value, len(texts)):
            raw = call_with_retries(lambda: self._limited_request(texts, kind), self.retry, what)
        matrix = check_matrix(raw, len(texts), sig)
        log.debug("embedding.batch", provider=sig.provider, model=sig.model, kind=kind.value, size=len(texts))
        return l2_normalize(matrix) if self.normalize else matrix

    def _limited_request(self, texts: Sequence[str], kind: Kind) -> npt.ArrayLike:
        """:meth:`_request` within the provider's limits: a slot of ``concurrency`` and ``rpm``
        requests per minute, both counted by ``throttle`` (shared across processes through Redis)."""
        with self.throttle.slot(self._limit_name, self.concurrency):
            self.throttle.rate(self._limit_name, self.rpm)
            return self._request(texts, kind)

    @abstractmethod
    def _request(self, texts: Sequence[str], kind: Kind) -> npt.ArrayLike:
        """One API call for ``texts``; raise ``TransientUpstreamError`` for retryable failures."""

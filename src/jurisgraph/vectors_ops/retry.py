"""Writes to the vector store under the service's retry policy (transient store failures only)."""

from __future__ import annotations

from collections.abc import Sequence

from jurisgraph.engine.vectors import CollectionSpec, VectorIndex, VectorPoint, VectorStoreError
from jurisgraph.errors import RetryableUpstreamError
from jurisgraph.kit.retry import RetryPolicy

TRANSIENT = (RetryableUpstreamError, VectorStoreError)

UPSERT_RETRY = RetryPolicy(max_retries=4, initial_wait=0.5, max_wait=20.0)
"""Five tries per batch, waiting 0.5·2ⁿ s (capped at 20 s) plus up to 0.5 s of jitter."""


def upsert_with_retries(
    index: VectorIndex, spec: CollectionSpec, points: Sequence[VectorPoint], policy: RetryPolicy
) -> int:
    """``index.upsert(spec, points)``, retried on transient store errors; re-raises the last."""
    return policy.call(
        lambda: index.upsert(spec, points),
        transient=TRANSIENT,
        what=spec.name,
        log_event="vector_upsert_retry",
    )

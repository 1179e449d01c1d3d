"""Writes to the vector store with retries: exponential backoff with jitter on transient failures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from jurisgraph.engine.vectors import CollectionSpec, VectorIndex, VectorPoint, VectorStoreError
from jurisgraph.errors import RetryableUpstreamError

log = structlog.get_logger(__name__)

TRANSIENT = (RetryableUpstreamError, VectorStoreError)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """At most ``attempts`` tries per batch, waiting ``initial``·2ⁿ s (capped at ``maximum``) plus jitter."""

    attempts: int = 5
    initial: float = 0.5
    maximum: float = 20.0
    jitter: float = 0.5


def upsert_with_retries(
    index: VectorIndex, spec: CollectionSpec, points: Sequence[VectorPoint], policy: RetryPolicy
) -> int:
    """``index.upsert(spec, points)``, retried on transient store errors; re-raises the last."""

    def note(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "vector_upsert_retry", collection=spec.name, attempt=state.attempt_number, error=str(error)
        )

    retrying = Retrying(
        stop=stop_after_attempt(max(1, policy.attempts)),
        wait=wait_exponential_jitter(initial=policy.initial, max=policy.maximum, jitter=policy.jitter),
        retry=retry_if_exception_type(TRANSIENT),
        before_sleep=note,
        reraise=True,
    )
    written: int = retrying(index.upsert, spec, points)
    return written

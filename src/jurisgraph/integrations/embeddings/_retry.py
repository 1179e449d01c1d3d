"""Our one retry policy for remote embedding calls (the SDKs' own retries are switched off).

Retried: 429, 408, 5xx, timeouts, connection errors and garbled replies, with exponential
backoff plus jitter; a ``Retry-After`` / ``retry-after-ms`` header, when the server sends
one, is a lower bound on the wait. Everything else fails at once.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import structlog
import tenacity

from jurisgraph.errors import RetryableUpstreamError, UpstreamError
from jurisgraph.kit.http_retry import retry_after_seconds

log = structlog.get_logger(__name__)

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})


class TransientUpstreamError(RetryableUpstreamError):
    """One failed attempt worth retrying; ``retry_after`` is the server's hint in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``max_retries`` retries after the first attempt; waits grow from ``initial_wait`` to ``max_wait``."""

    max_retries: int = 5
    initial_wait: float = 1.0
    max_wait: float = 60.0

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.initial_wait < 0 or self.max_wait < 0:
            raise ValueError("retry settings must not be negative")

    def backoff(self, attempt: int) -> float:
        """Wait before retry number ``attempt`` (1-based): exponential, full jitter on top, capped."""
        base = self.initial_wait * 2.0 ** (attempt - 1)
        return min(self.max_wait, base + random.uniform(0, self.initial_wait))

    def wait_for(self, attempt: int, error: BaseException | None) -> float:
        """Backoff, raised to the server's Retry-After hint when there is one (still capped)."""
        wait = self.backoff(attempt)
        hint = getattr(error, "retry_after", None)
        if isinstance(hint, int | float) and hint > wait:
            wait = min(float(hint), self.max_wait)
        return wait


def call_with_retries(fn: Callable[[], T], policy: RetryPolicy, what: str) -> T:
    """Run ``fn``; retry while it raises :class:`TransientUpstreamError`.

    When retries run out, raise :class:`RetryableUpstreamError` naming ``what``, the number of
    attempts and the last failure. Any other error propagates unchanged at once.
    """
    attempts = policy.max_retries + 1

    def wait(state: tenacity.RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        return policy.wait_for(state.attempt_number, error)

    def before_sleep(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        sleep = state.next_action.sleep if state.next_action else 0.0
        log.warning(
            "embedding.retry", call=what, attempt=state.attempt_number, wait=round(sleep, 3), error=str(error)
        )

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(attempts),
        wait=wait,
        retry=tenacity.retry_if_exception_type(TransientUpstreamError),
        before_sleep=before_sleep,
        reraise=True,
        sleep=time.sleep,
    )
    try:
        return retrying(fn)
    except TransientUpstreamError as exc:
        plural = "s" if attempts != 1 else ""
        raise RetryableUpstreamError(
            f"{what}: gave up after {attempts} attempt{plural}; last error: {exc}"
        ) from exc


def status_error(what: str, status: int, detail: str, headers: Mapping[str, str] | None) -> UpstreamError:
    """Map an HTTP error status to a transient (retried) or final error naming ``what``."""
    message = f"{what}: HTTP {status}: {detail}".rstrip(": ")
    if status in RETRYABLE_STATUS or status >= 500:
        return TransientUpstreamError(message, retry_after=retry_after_seconds(headers))
    return UpstreamError(message)

"""The gateway's one retry policy (the SDKs' own retries are off).

Retried: :class:`RetryableUpstreamError` (429, 408, 5xx, timeouts, connection errors) and
``TimeoutError``, with exponential backoff plus jitter; a ``retry_after`` hint on the error
(the server's ``Retry-After``) is a lower bound on the wait. Every other error fails at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import structlog
import tenacity

from jurisgraph.errors import RetryableUpstreamError

log = structlog.get_logger(__name__)

T = TypeVar("T")
RETRYABLE: tuple[type[BaseException], ...] = (RetryableUpstreamError, TimeoutError)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``max_retries`` retries after the first attempt; waits grow from ``initial_wait`` to ``max_wait``."""

    max_retries: int = 4
    initial_wait: float = 1.0
    max_wait: float = 60.0

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.initial_wait < 0 or self.max_wait < 0:
            raise ValueError("retry settings must not be negative")

    def wait_for(self, attempt: int, error: BaseException | None) -> float:
        """Wait before retry ``attempt`` (1-based): exponential plus jitter, at least the server's hint."""
        wait = min(
            self.max_wait, self.initial_wait * 2.0 ** (attempt - 1) + random.uniform(0, self.initial_wait)
        )
        hint = getattr(error, "retry_after", None)
        if isinstance(hint, int | float):
            wait = max(wait, min(float(hint), self.max_wait))
        return wait


def call_with_retries(
    fn: Callable[[], T], policy: RetryPolicy, *, sleep: Callable[[float], None], what: str
) -> T:
    """Run ``fn``, retrying retryable failures; the last failure propagates when retries run out."""

    def wait(state: tenacity.RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        return policy.wait_for(state.attempt_number, error)

    def before_sleep(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        pause = state.next_action.sleep if state.next_action else 0.0
        log.warning(
            "llm.retry", call=what, attempt=state.attempt_number, wait=round(pause, 3), error=str(error)
        )

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(policy.max_retries + 1),
        wait=wait,
        retry=tenacity.retry_if_exception_type(RETRYABLE),
        before_sleep=before_sleep,
        reraise=True,
        sleep=sleep,
    )
    return retrying(fn)

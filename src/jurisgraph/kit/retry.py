"""The one retry policy of the service: exponential backoff with jitter, transient errors only.

A server's ``Retry-After`` / ``retry-after-ms`` hint is a lower bound on the wait, itself
capped. The policy imports nothing from jurisgraph: the caller says which errors are
transient (exception classes or a predicate), and the hint is read from the failed attempt's
error (its ``retry_after`` attribute in seconds, or a caller-given extractor).
"""

from __future__ import annotations

import email.utils
import importlib
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import structlog
import tenacity

log = structlog.get_logger(__name__)

T = TypeVar("T")
Transient = type[BaseException] | tuple[type[BaseException], ...] | Callable[[BaseException], bool]
Hint = Callable[[BaseException], float | None]

TRANSIENT_STATUSES = frozenset({408, 425, 429})
"""Statuses below 500 that are worth retrying; every 5xx is too."""


def is_transient_status(status: int) -> bool:
    """True for 408, 425, 429 and every 5xx."""
    return status in TRANSIENT_STATUSES or status >= 500


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from one ``Retry-After`` value (delta-seconds or HTTP date); None when absent or bad."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from ``retry-after-ms`` or else ``Retry-After`` (any case); None if neither is usable."""
    if not headers:
        return None
    lowered = {key.lower(): value for key, value in headers.items()}
    raw_ms = lowered.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return max(0.0, float(raw_ms) / 1000.0)
        except ValueError:
            pass
    return parse_retry_after(lowered.get("retry-after"))


def retry_after_of(error: BaseException | None) -> float | None:
    """The ``retry_after`` attribute of ``error`` in seconds, when it is a number."""
    hint = getattr(error, "retry_after", None)
    if isinstance(hint, bool) or not isinstance(hint, int | float):
        return None
    return float(hint)


def transport_errors() -> tuple[type[BaseException], ...]:
    """Timeout and connection error classes of the HTTP stacks the SDKs may use (httpx, httpx2)."""
    found: list[type[BaseException]] = []
    for name in ("httpx", "httpx2"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        found.append(module.TransportError)
    return tuple(found)


def _predicate(transient: Transient) -> Callable[[BaseException], bool]:
    if isinstance(transient, type | tuple):
        classes = transient
        return lambda error: isinstance(error, classes)
    return transient


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """At most ``max_retries`` retries after the first attempt, all waits in seconds.

    The wait before retry ``n`` is ``initial_wait``·2ⁿ⁻¹ plus a uniform jitter in
    ``[0, jitter]`` (``jitter`` None: ``initial_wait``), capped at ``max_wait``. A retry-after
    hint raises the wait to the hint, capped at ``max_retry_after`` (None: ``max_wait``).
    """

    max_retries: int = 4
    initial_wait: float = 1.0
    max_wait: float = 60.0
    jitter: float | None = None
    max_retry_after: float | None = None

    def __post_init__(self) -> None:
        numbers = (self.max_retries, self.initial_wait, self.max_wait, self.jitter, self.max_retry_after)
        if any(value is not None and value < 0 for value in numbers):
            raise ValueError("retry settings must not be negative")

    @property
    def attempts(self) -> int:
        """The first attempt plus the retries."""
        return self.max_retries + 1

    def backoff(self, attempt: int) -> float:
        """Wait before retry number ``attempt`` (1-based), ignoring any hint."""
        spread = self.initial_wait if self.jitter is None else self.jitter
        base = self.initial_wait * 2.0 ** (attempt - 1)
        return min(self.max_wait, base + random.uniform(0, spread))

    def wait_for(self, attempt: int, error: BaseException | None, hint: Hint = retry_after_of) -> float:
        """Backoff, raised to the retry-after ``hint`` read from ``error`` when there is one (capped)."""
        wait = self.backoff(attempt)
        seconds = hint(error) if error is not None else None
        if seconds is not None:
            cap = self.max_wait if self.max_retry_after is None else self.max_retry_after
            wait = max(wait, min(seconds, cap))
        return wait

    def call(
        self,
        fn: Callable[[], T],
        *,
        transient: Transient,
        what: str,
        log_event: str = "retry",
        hint: Hint = retry_after_of,
        sleep: Callable[[float], None] = time.sleep,
    ) -> T:
        """Run ``fn``; retry while it raises a ``transient`` error; any other error propagates at once.

        When the retries run out, the last transient error propagates unchanged. Each retry
        logs ``log_event`` (warning) with ``what``, the attempt number, the wait and the error.
        """

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome is not None else None
            return self.wait_for(state.attempt_number, error, hint)

        def before_sleep(state: tenacity.RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome is not None else None
            pause = state.next_action.sleep if state.next_action is not None else 0.0
            log.warning(
                log_event, call=what, attempt=state.attempt_number, wait=round(pause, 3), error=str(error)
            )

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts),
            wait=wait,
            retry=tenacity.retry_if_exception(_predicate(transient)),
            before_sleep=before_sleep,
            reraise=True,
            sleep=sleep,
        )
        return retrying(fn)

"""How provider failures map onto the error hierarchy (the gateway retries the retryable ones).

429, 408 and 5xx statuses, timeouts and connection errors become :class:`TransientLlmError`
(a :class:`RetryableUpstreamError` carrying the server's ``Retry-After`` hint); any other
status is a final :class:`UpstreamError`.
"""

from __future__ import annotations

import email.utils
import importlib
import time
from collections.abc import Mapping

from jurisgraph.errors import RetryableUpstreamError, UpstreamError

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})


class TransientLlmError(RetryableUpstreamError):
    """A failed chat call worth retrying; ``retry_after`` is the server's hint in seconds."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def status_error(what: str, status: int, detail: str, headers: Mapping[str, str] | None) -> UpstreamError:
    """The error for an HTTP error ``status`` of the call ``what``."""
    message = f"{what}: HTTP {status}: {detail}".rstrip(": ")
    if status in RETRYABLE_STATUS or status >= 500:
        return TransientLlmError(message, status=status, retry_after=retry_after_seconds(headers))
    return UpstreamError(message)


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date); None if absent."""
    if not headers:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    raw_ms = lowered.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return max(0.0, float(raw_ms) / 1000.0)
        except ValueError:
            pass
    raw = lowered.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


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

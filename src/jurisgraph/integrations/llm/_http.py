"""How provider failures map onto the error hierarchy (the gateway retries the retryable ones).

429, 408 and 5xx statuses, timeouts and connection errors become :class:`TransientLlmError`
(a :class:`RetryableUpstreamError` carrying the server's ``Retry-After`` hint); any other
status is a final :class:`UpstreamError`.
"""

from __future__ import annotations

from collections.abc import Mapping

from jurisgraph.errors import RetryableUpstreamError, UpstreamError
from jurisgraph.kit.http_retry import retry_after_seconds

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

"""How the HTTP failures of remote APIs (LLM and embedding providers) map onto the error hierarchy.

429, 408, 425 and 5xx statuses, timeouts, connection errors and garbled replies become a
:class:`TransientUpstreamError` (a :class:`RetryableUpstreamError` carrying the server's
retry-after hint, which :class:`jurisgraph.kit.retry.RetryPolicy` honours); any other status
is a final :class:`UpstreamError`.
"""

from __future__ import annotations

from collections.abc import Mapping

from jurisgraph.errors import RetryableUpstreamError, UpstreamError
from jurisgraph.kit.retry import is_transient_status, retry_after_seconds


class TransientUpstreamError(RetryableUpstreamError):
    """One failed call worth retrying; ``status`` when there was a reply, ``retry_after`` in seconds."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def status_error(what: str, status: int, detail: str, headers: Mapping[str, str] | None) -> UpstreamError:
    """The error for an HTTP error ``status`` of the call ``what`` (transient or final)."""
    message = f"{what}: HTTP {status}: {detail}".rstrip(": ")
    if is_transient_status(status):
        return TransientUpstreamError(message, status=status, retry_after=retry_after_seconds(headers))
    return UpstreamError(message)

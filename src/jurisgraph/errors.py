"""The one error hierarchy of jurisgraph.

Every error the service raises on purpose derives from :class:`JurisgraphError` and carries
an HTTP status code and a stable machine-readable ``code``; the API turns them (and every
other 4xx/5xx) into ``{"error": <code>, "detail": <message or list>}`` and the CLI into a
one-line message with a non-zero exit.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, Literal

#: the short ``error`` code of an HTTP status that no :class:`JurisgraphError` names
_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
    500: "internal_error",
    502: "upstream_error",
    503: "unavailable",
}


def code_for_status(status: int) -> str:
    """The short error code of an HTTP status (``not_found``, ``too_large``…)."""
    if status in _STATUS_CODES:
        return _STATUS_CODES[status]
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "internal_error" if status >= 500 else "bad_request"


def error_body(code: str, detail: Any) -> dict[str, Any]:
    """The one JSON shape of every error reply: ``{"error": code, "detail": detail}``."""
    return {"error": code, "detail": detail}


class JurisgraphError(Exception):
    """Base class: ``status_code`` for the API, ``code`` for clients and logs."""

    status_code: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, *, code: str | None = None, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code

    def response_headers(self) -> dict[str, str]:
        """Headers of the HTTP reply to this error (none by default)."""
        return {}


class ConfigError(JurisgraphError):
    """The configuration is invalid or unsafe (for example a weak secret in production)."""

    code = "config_error"


class InvalidInput(JurisgraphError):
    """The caller sent something that cannot be processed (malformed, wrong type, too big)."""

    status_code = 400
    code = "invalid_input"


class NotFound(JurisgraphError):
    """The requested object does not exist or is not readable by the caller."""

    status_code = 404
    code = "not_found"


class Conflict(JurisgraphError):
    """The request conflicts with the current state."""

    status_code = 409
    code = "conflict"


class Unauthorized(JurisgraphError):
    """No valid credentials."""

    status_code = 401
    code = "unauthorized"

    def response_headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="jurisgraph"'}


class RateLimited(JurisgraphError):
    """Too many requests from one caller; ``retry_after`` seconds until the next is allowed."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)

    def response_headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class Forbidden(JurisgraphError):
    """Valid credentials without the permission needed."""

    status_code = 403
    code = "forbidden"


class TooLarge(InvalidInput):
    """An input is over its size limit."""

    status_code = 413
    code = "too_large"


class ParseError(InvalidInput):
    """A source file or record cannot be parsed."""

    code = "parse_error"


RejectReason = Literal[
    "empty",
    "too_large",
    "too_many_pages",
    "no_text_layer",
    "encrypted",
    "corrupt",
    "zip_bomb",
    "unsupported_type",
    "binary_text",
]
"""Why a document was refused (the ``reason`` of :class:`DocumentRejected`)."""

_REJECT_MESSAGES: dict[str, str] = {
    "empty": "the document is empty",
    "too_large": "the document is over the size limit",
    "too_many_pages": "the document has more pages than allowed",
    "no_text_layer": "no text layer; OCR is not available",
    "encrypted": "the document is encrypted (password-protected)",
    "corrupt": "the document is corrupt and cannot be read",
    "zip_bomb": "the DOCX document inflates beyond the allowed size (zip bomb guard)",
    "unsupported_type": "unsupported document type (accepted: PDF, DOCX, TXT, HTML)",
    "binary_text": "the file is binary, not text",
}
_REJECT_STATUS = {"too_large": 413, "unsupported_type": 415}


class DocumentRejected(InvalidInput):
    """A document cannot be accepted or its text cannot be extracted; ``reason`` says why.

    The status is 413 for ``too_large``, 415 for ``unsupported_type`` and 422 otherwise; the
    code is ``document_<reason>``.
    """

    def __init__(self, reason: RejectReason, *, detail: str | None = None) -> None:
        message = _REJECT_MESSAGES[reason]
        if detail:
            message = f"{message} ({detail})"
        super().__init__(message, code=f"document_{reason}", status_code=_REJECT_STATUS.get(reason, 422))
        self.reason: RejectReason = reason
        self.detail = detail


class StorageError(JurisgraphError):
    """The object store failed or refused an operation (bad key, missing bucket, I/O error)."""

    status_code = 503
    code = "storage_error"


class UpstreamError(JurisgraphError):
    """A remote service (portal, LLM, embedding API, vector server) failed."""

    status_code = 502
    code = "upstream_error"


class RetryableUpstreamError(UpstreamError):
    """A remote failure worth retrying (429, 5xx, timeout, connection reset)."""

    code = "upstream_retryable"


class ServiceUnavailable(JurisgraphError):
    """A required local component (database, vector store) is not available."""

    status_code = 503
    code = "unavailable"


class DimensionMismatch(InvalidInput):
    """A vector's dimension does not match its collection."""

    code = "dimension_mismatch"


class BudgetExhausted(JurisgraphError):
    """An LLM budget is reached: LLM stages stop (``budget_exhausted``), queries answer extractively."""

    status_code = 429
    code = "budget_exhausted"

    def __init__(self, scope: str, limit_usd: float, spent_usd: float) -> None:
        super().__init__(f"LLM budget reached ({scope}: {spent_usd:.4f} of {limit_usd:.4f} USD)")
        self.scope, self.limit_usd, self.spent_usd = scope, limit_usd, spent_usd


class TooManyJobs(JurisgraphError):
    """Too many jobs are queued or running (globally, or for one requester)."""

    status_code = 429
    code = "too_many_jobs"


class ProcessingError(JurisgraphError):
    """A pipeline stage could not finish its work (for example its helper process died)."""

    code = "processing_error"

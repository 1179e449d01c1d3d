"""Errors raised by the portal clients, all inside the jurisgraph error hierarchy."""

from __future__ import annotations

from jurisgraph.errors import NotFound, RetryableUpstreamError, UpstreamError


class PortalHttpError(UpstreamError):
    """The portal answered with a status that retrying will not fix (4xx other than 408/429)."""

    code = "portal_http_error"

    def __init__(self, url: str, status: int, detail: str = "") -> None:
        message = f"GET {url} returned HTTP {status}"
        super().__init__(f"{message}: {detail}" if detail else message)
        self.url = url
        self.status = status


class PortalRetryableError(RetryableUpstreamError):
    """A transient failure (429, 5xx, timeout, dropped connection); ``status`` is None without a reply."""

    code = "portal_retryable"

    def __init__(
        self, url: str, status: int | None, detail: str = "", *, retry_after: float | None = None
    ) -> None:
        what = f"HTTP {status}" if status is not None else "no complete reply"
        message = f"GET {url} failed with {what}"
        super().__init__(f"{message}: {detail}" if detail else message)
        self.url = url
        self.status = status
        self.retry_after = retry_after


class PortalResponseError(UpstreamError):
    """The portal answered 2xx with a body that is not the JSON expected (often a firewall page)."""

    code = "portal_bad_response"

    def __init__(self, url: str, status: int, detail: str) -> None:
        super().__init__(f"GET {url} (HTTP {status}) did not return CKAN JSON: {detail}")
        self.url = url
        self.status = status


class CkanApiError(UpstreamError):
    """The CKAN envelope said ``success: false``."""

    code = "ckan_api_error"

    def __init__(self, url: str, error_type: str, detail: str) -> None:
        super().__init__(f"CKAN action {url} failed ({error_type}): {detail}")
        self.url = url
        self.error_type = error_type


class DatasetNotFound(NotFound):
    """No dataset with this slug (or id) exists in the portal or mirror."""

    code = "dataset_not_found"


class MirrorFileMissing(NotFound):
    """A mirror's catalogue points at a file that is not in the folder."""

    code = "mirror_file_missing"

"""A polite HTTP session: one request per host per interval, retries with backoff and jitter."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from jurisgraph.errors import InvalidInput
from jurisgraph.integrations.ckan.errors import (
    CkanApiError,
    PortalHttpError,
    PortalResponseError,
    PortalRetryableError,
)
from jurisgraph.integrations.ckan.settings import PortalSettings
from jurisgraph.kit.retry import is_transient_status, retry_after_seconds
from jurisgraph.kit.throttle import LocalThrottle, Throttle

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], None]


class HostThrottle:
    """Keeps the starts of two requests to the same host at least ``interval_s`` apart.

    Hosts are independent. The starts are counted by ``limits``: in this process by default, or
    by every process sharing a Redis (:class:`~jurisgraph.kit.throttle.RedisThrottle`). ``clock``
    and ``sleep`` may be replaced in tests (for the in-process count).
    """

    def __init__(
        self,
        interval_s: float,
        *,
        limits: Throttle | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.interval_s = interval_s
        self._limits = limits or LocalThrottle(clock=clock, sleep=sleep)

    def wait(self, host: str) -> float:
        """Block until a request to ``host`` may start; returns the seconds waited."""
        return self._limits.space(f"portal:{host}", self.interval_s)


def raise_for_status(response: httpx.Response, detail: str = "") -> None:
    """Raise PortalRetryableError for 408/425/429/5xx, PortalHttpError for other 4xx; pass 1xx-3xx."""
    status = response.status_code
    url = str(response.request.url)
    if is_transient_status(status):
        retry_after = retry_after_seconds(response.headers)
        raise PortalRetryableError(url, status, detail, retry_after=retry_after)
    if status >= 400:
        raise PortalHttpError(url, status, detail)


def _ckan_error_detail(response: httpx.Response) -> str:
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error.get("__type") or error)
    return ""


class PortalHttp:
    """An httpx client that throttles per host, sends browser headers and retries transient errors."""

    def __init__(
        self,
        settings: PortalSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        throttle: HostThrottle | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.settings = settings
        self.throttle = throttle or HostThrottle(settings.request_interval_s, clock=clock, sleep=sleep)
        self._sleep = sleep
        self._retry = settings.retry_policy()
        self._client = httpx.Client(
            headers=settings.request_headers(),
            timeout=httpx.Timeout(settings.timeout_s),
            transport=transport,
            follow_redirects=True,
        )

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def retry(self, operation: Callable[[], T], what: str) -> T:
        """Run ``operation`` (a request to ``what``), retrying PortalRetryableError ``max_retries`` times."""
        return self._retry.call(
            operation, transient=PortalRetryableError, what=what, log_event="portal_retry", sleep=self._sleep
        )

    @contextmanager
    def stream(
        self, url: str, *, params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None
    ) -> Iterator[httpx.Response]:
        """One throttled GET whose body is read lazily; transport failures become PortalRetryableError."""
        host = urlsplit(url).netloc
        if not host:
            raise InvalidInput(f"not an absolute http(s) URL: {url!r}")
        self.throttle.wait(host)
        with (
            self.translate_errors(url),
            self._client.stream("GET", url, params=params, headers=headers) as response,
        ):
            yield response

    @contextmanager
    def translate_errors(self, url: str) -> Iterator[None]:
        """Turn httpx timeouts and connection failures into PortalRetryableError."""
        try:
            yield
        except httpx.UnsupportedProtocol as exc:
            raise InvalidInput(f"unsupported URL {url!r}: {exc}") from exc
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise PortalRetryableError(url, None, f"{type(exc).__name__}: {exc}") from exc

    def get_json(self, url: str, params: Mapping[str, str] | None = None) -> Any:
        """GET a CKAN action and return its ``result``, with throttling and retries."""

        def attempt() -> Any:
            with self.stream(
                url, params=params, headers={"Accept": "application/json, text/plain, */*"}
            ) as response:
                response.read()
            return self._decode_action(response)

        return self.retry(attempt, url)

    @staticmethod
    def _decode_action(response: httpx.Response) -> Any:
        url = str(response.request.url)
        if response.status_code >= 400:
            raise_for_status(response, _ckan_error_detail(response))
        try:
            body = json.loads(response.content)
        except ValueError as exc:
            snippet = response.text[:120].replace("\n", " ")
            kind = response.headers.get("Content-Type", "no content type")
            raise PortalResponseError(url, response.status_code, f"{kind}: {snippet!r}") from exc
        if not isinstance(body, dict) or "success" not in body:
            raise PortalResponseError(url, response.status_code, "no CKAN envelope")
        if body["success"] is not True:
            error = body.get("error")
            error = error if isinstance(error, dict) else {}
            raise CkanApiError(url, str(error.get("__type", "unknown")), str(error.get("message", error)))
        return body.get("result")

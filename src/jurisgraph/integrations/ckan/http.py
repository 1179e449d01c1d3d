"""A polite HTTP session: one request per host per interval, retries with backoff and jitter."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
import structlog
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from jurisgraph.errors import InvalidInput
from jurisgraph.integrations.ckan.errors import (
    CkanApiError,
    PortalHttpError,
    PortalResponseError,
    PortalRetryableError,
)
from jurisgraph.integrations.ckan.settings import PortalSettings

log = structlog.get_logger(__name__)

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], None]

RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


class HostThrottle:
    """Keeps the starts of two requests to the same host at least ``interval_s`` apart.

    Thread-safe; hosts are independent. ``clock`` and ``sleep`` may be replaced in tests.
    """

    def __init__(
        self, interval_s: float, *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep
    ) -> None:
        self.interval_s = interval_s
        self._clock = clock
        self._sleep = sleep
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._next_start: dict[str, float] = {}

    def wait(self, host: str) -> float:
        """Block until a request to ``host`` may start; returns the seconds waited."""
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            now = self._clock()
            next_start = self._next_start.get(host, now)
            waited = max(0.0, next_start - now)
            if waited > 0:
                self._sleep(waited)
            self._next_start[host] = max(now, next_start) + self.interval_s
            return waited


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def raise_for_status(response: httpx.Response, detail: str = "") -> None:
    """Raise PortalRetryableError for 408/429/5xx, PortalHttpError for other 4xx; pass 1xx-3xx."""
    status = response.status_code
    url = str(response.request.url)
    if status in RETRYABLE_STATUSES or status >= 500:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
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
        self._backoff = wait_exponential_jitter(
            initial=settings.backoff_initial_s, max=settings.backoff_max_s, jitter=settings.backoff_initial_s
        )
        self._client = httpx.Client(
            headers=settings.request_headers(),
            timeout=httpx.Timeout(settings.timeout_s),
            transport=transport,
            follow_redirects=True,
        )

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def retry(self, operation: Callable[[], T]) -> T:
        """Run ``operation``, retrying PortalRetryableError up to ``max_retries`` times."""
        retrying = Retrying(
            stop=stop_after_attempt(self.settings.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(PortalRetryableError),
            sleep=self._sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )
        return retrying(operation)

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

        return self.retry(attempt)

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

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, PortalRetryableError) and error.retry_after is not None:
            return min(error.retry_after, self.settings.retry_after_max_s)
        return float(self._backoff(state))

    def _log_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning("portal_retry", attempt=state.attempt_number, wait_s=round(wait, 3), error=str(error))

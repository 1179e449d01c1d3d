"""Client of a CKAN open-data portal (the STJ's at https://dadosabertos.web.stj.jus.br)."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urljoin

import httpx
import structlog

from jurisgraph.errors import ParseError
from jurisgraph.integrations.ckan.download import download_over_http
from jurisgraph.integrations.ckan.errors import (
    CkanApiError,
    DatasetNotFound,
    PortalHttpError,
    PortalResponseError,
    PortalRetryableError,
)
from jurisgraph.integrations.ckan.http import Clock, HostThrottle, PortalHttp, Sleep
from jurisgraph.integrations.ckan.known import KNOWN_SLUGS
from jurisgraph.integrations.ckan.records import DownloadResult, DownloadState, Package, Resource
from jurisgraph.integrations.ckan.settings import PortalSettings

log = structlog.get_logger(__name__)

STJ_PORTAL_URL = "https://dadosabertos.web.stj.jus.br"

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_BLOCKED_STATUSES = frozenset({401, 403})
_MISSING_STATUSES = frozenset({404, 410})
_Failure = (PortalHttpError, PortalRetryableError, PortalResponseError, CkanApiError)


def _blocked(error: Exception, *, missing_too: bool) -> bool:
    """True for failures a different request may get around (firewall, outage, odd body)."""
    if isinstance(error, PortalHttpError):
        return error.status in _BLOCKED_STATUSES or (missing_too and error.status in _MISSING_STATUSES)
    return isinstance(error, PortalRetryableError | PortalResponseError | CkanApiError)


class CkanPortal:
    """A CKAN portal over HTTP: polite (one request per host per interval), retrying, resumable.

    Settings come from ``settings`` with keyword ``overrides`` applied (for example
    ``CkanPortal(url, request_interval_s=0)``). ``transport``, ``clock`` and ``sleep`` exist for
    tests; ``throttle`` lets several clients share one per-host schedule.
    """

    def __init__(
        self,
        base_url: str = STJ_PORTAL_URL,
        settings: PortalSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        throttle: HostThrottle | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        **overrides: Any,
    ) -> None:
        self.settings = replace(settings or PortalSettings(), **overrides)
        self.base_url = re.sub(r"/api/3(/action)?/?$", "", base_url.rstrip("/")).rstrip("/")
        self.api_url = f"{self.base_url}/api/3/action/"
        self._http = PortalHttp(
            self.settings, transport=transport, throttle=throttle, clock=clock, sleep=sleep
        )

    @property
    def location(self) -> str:
        """The portal's base URL."""
        return self.base_url

    def close(self) -> None:
        """Release the HTTP connections."""
        self._http.close()

    def __enter__(self) -> CkanPortal:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def action(self, name: str, **params: str) -> Any:
        """Call ``/api/3/action/<name>`` and return its ``result``; raises the errors of this package."""
        return self._http.get_json(self.api_url + name, params or None)

    def package_list(self) -> list[str]:
        """Slugs of all datasets; the known STJ slugs when the portal refuses to list them."""
        try:
            result = self.action("package_list")
        except _Failure as error:
            if not _blocked(error, missing_too=False):
                raise
            log.warning("package_list_blocked", portal=self.base_url, error=str(error))
            return list(KNOWN_SLUGS)
        if not isinstance(result, list) or not all(isinstance(slug, str) for slug in result):
            raise ParseError(f"{self.api_url}package_list did not return a list of names")
        return list(result)

    def package_show(self, slug: str) -> Package:
        """The dataset with this slug (or id), by ``package_show`` or, if that is blocked, by search.

        Raises DatasetNotFound when neither finds it.
        """
        try:
            result = self.action("package_show", id=slug)
        except _Failure as error:
            if not _blocked(error, missing_too=True):
                raise
            log.warning("package_show_fallback", dataset=slug, error=str(error))
            return self._search_one(slug)
        if not isinstance(result, dict):
            raise ParseError(f"{self.api_url}package_show?id={slug} did not return an object")
        return Package.from_ckan(result)

    def _search_one(self, slug: str) -> Package:
        field = "id" if _UUID.fullmatch(slug) else "name"
        result = self.action("package_search", q=f"{field}:{slug}", rows="10")
        found = result.get("results") if isinstance(result, dict) else None
        for item in found if isinstance(found, list) else []:
            if isinstance(item, dict) and slug in (item.get("name"), item.get("id")):
                return Package.from_ckan(item)
        raise DatasetNotFound(f"dataset {slug!r} not found in {self.base_url}")

    def resource_url(self, resource: Resource) -> str:
        """The absolute download URL of a resource (relative URLs are joined to the base URL)."""
        return urljoin(self.base_url + "/", resource.url)

    def download(
        self,
        resource: Resource,
        dest_dir: Path,
        *,
        known: DownloadState | None = None,
        max_bytes: int,
    ) -> DownloadResult:
        """Download into ``dest_dir/<file name>``: skipped or conditional with ``known``,
        resumable, sha256 on the fly, TooLarge over ``max_bytes``, atomic rename."""
        return download_over_http(
            self._http,
            resource,
            Path(dest_dir),
            url=self.resource_url(resource),
            known=known,
            max_bytes=max_bytes,
        )

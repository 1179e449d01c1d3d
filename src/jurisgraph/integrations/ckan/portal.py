"""The Portal protocol and :func:`open_portal`, which picks the HTTP or the folder implementation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import httpx

from jurisgraph.errors import InvalidInput
from jurisgraph.integrations.ckan.client import CkanPortal
from jurisgraph.integrations.ckan.http import HostThrottle
from jurisgraph.integrations.ckan.mirror import MirrorPortal, file_path_from_url
from jurisgraph.integrations.ckan.records import DownloadResult, DownloadState, Package, Resource
from jurisgraph.integrations.ckan.settings import PortalSettings


@runtime_checkable
class Portal(Protocol):
    """A source of datasets: the CKAN portal over HTTP or a local mirror folder."""

    @property
    def location(self) -> str:
        """Base URL or folder, for logs and for the ``datasets`` rows."""
        ...

    def package_list(self) -> list[str]:
        """Slugs of the datasets offered."""
        ...

    def package_show(self, slug: str) -> Package:
        """One dataset with its resources; raises DatasetNotFound."""
        ...

    def download(
        self,
        resource: Resource,
        dest_dir: Path,
        *,
        known: DownloadState | None = None,
        max_bytes: int,
    ) -> DownloadResult:
        """Put the resource's bytes in ``dest_dir`` (or skip them when ``known`` is current)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def open_portal(
    url_or_folder: str | Path,
    settings: PortalSettings | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
    throttle: HostThrottle | None = None,
    **overrides: Any,
) -> Portal:
    """A CkanPortal for an http(s) URL, a MirrorPortal for ``file://`` or an existing folder.

    ``overrides`` are PortalSettings fields; ``throttle`` spaces the requests of a CkanPortal
    (by default, per portal object). Raises InvalidInput for anything else.
    """
    merged = replace(settings or PortalSettings(), **overrides)
    target = str(url_or_folder)
    lowered = target.lower()
    if lowered.startswith(("http://", "https://")):
        return CkanPortal(target, merged, transport=transport, throttle=throttle)
    path = file_path_from_url(target) if lowered.startswith("file://") else Path(target).expanduser()
    if path.is_dir():
        return MirrorPortal(path, chunk_size=merged.chunk_size)
    raise InvalidInput(f"not a portal URL nor an existing folder: {target!r}")

"""STJ CKAN portal client and local mirror folders.

``open_portal(url_or_folder)`` returns a :class:`Portal`: :class:`CkanPortal` over HTTP (browser
headers, a polite per-host interval, retries, conditional and resumable downloads) or
:class:`MirrorPortal` over a folder with the same interface.
"""

from jurisgraph.integrations.ckan.client import STJ_PORTAL_URL, CkanPortal
from jurisgraph.integrations.ckan.errors import (
    CkanApiError,
    DatasetNotFound,
    MirrorFileMissing,
    PortalHttpError,
    PortalResponseError,
    PortalRetryableError,
)
from jurisgraph.integrations.ckan.http import HostThrottle
from jurisgraph.integrations.ckan.known import (
    KNOWN_DATASETS,
    KNOWN_SLUGS,
    DatasetCategory,
    KnownDataset,
    known_dataset,
)
from jurisgraph.integrations.ckan.mirror import CATALOG_FILE, MirrorPortal, mirror_id, write_catalog
from jurisgraph.integrations.ckan.portal import Portal, open_portal
from jurisgraph.integrations.ckan.records import DownloadResult, DownloadState, Package, Resource
from jurisgraph.integrations.ckan.settings import BROWSER_HEADERS, CHROME_USER_AGENT, PortalSettings

__all__ = [
    "BROWSER_HEADERS",
    "CATALOG_FILE",
    "CHROME_USER_AGENT",
    "KNOWN_DATASETS",
    "KNOWN_SLUGS",
    "STJ_PORTAL_URL",
    "CkanApiError",
    "CkanPortal",
    "DatasetCategory",
    "DatasetNotFound",
    "DownloadResult",
    "DownloadState",
    "HostThrottle",
    "KnownDataset",
    "MirrorFileMissing",
    "MirrorPortal",
    "Package",
    "Portal",
    "PortalHttpError",
    "PortalResponseError",
    "PortalRetryableError",
    "PortalSettings",
    "Resource",
    "known_dataset",
    "mirror_id",
    "open_portal",
    "write_catalog",
]

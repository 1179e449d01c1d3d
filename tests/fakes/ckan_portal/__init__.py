"""A CKAN-shaped HTTP portal on 127.0.0.1 that serves real STJ files, with scriptable faults.

Usage::

    with serve_ckan_portal() as portal:          # stj_catalog() by default
        portal.faults.fail("package_show", 429, times=2, retry_after="1")
        client = CkanPortal(portal.base_url, request_interval_s=0)
        ...
        assert portal.count("/api/3/action/package_show") == 3

Routes: ``/api/3/action/{package_list,package_show?id=,package_search?q=name:<slug>}`` and
``/dataset/<package id or name>/resource/<resource id>/download/<name>`` (Range, If-Range,
ETag, Last-Modified, If-None-Match / If-Modified-Since → 304).
"""

from tests.fakes.ckan_portal.catalog import (
    INTEGRAS_ID,
    INTEGRAS_SLUG,
    PRECEDENTES_ID,
    PRECEDENTES_RESOURCE_IDS,
    PRECEDENTES_SLUG,
    PRIMEIRA_SECAO_ID,
    PRIMEIRA_SECAO_SLUG,
    STJ_DATA,
    FakeCatalog,
    stj_catalog,
)
from tests.fakes.ckan_portal.faults import WAF_PAGE, Fault, FaultScript
from tests.fakes.ckan_portal.server import FakeCkanPortal, RecordedRequest, serve_ckan_portal

__all__ = [
    "INTEGRAS_ID",
    "INTEGRAS_SLUG",
    "PRECEDENTES_ID",
    "PRECEDENTES_RESOURCE_IDS",
    "PRECEDENTES_SLUG",
    "PRIMEIRA_SECAO_ID",
    "PRIMEIRA_SECAO_SLUG",
    "STJ_DATA",
    "WAF_PAGE",
    "FakeCatalog",
    "FakeCkanPortal",
    "Fault",
    "FaultScript",
    "RecordedRequest",
    "serve_ckan_portal",
    "stj_catalog",
]

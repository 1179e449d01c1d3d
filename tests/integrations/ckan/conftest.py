"""Fixtures: the fake CKAN portal with the real STJ files, and a fast client pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jurisgraph.integrations.ckan import CkanPortal
from tests.fakes.ckan_portal import FakeCkanPortal, serve_ckan_portal
from tests.fixtures.ckan import FAST


@pytest.fixture
def fake_portal() -> Iterator[FakeCkanPortal]:
    with serve_ckan_portal() as portal:
        yield portal


@pytest.fixture
def client(fake_portal: FakeCkanPortal) -> Iterator[CkanPortal]:
    with CkanPortal(fake_portal.base_url, **FAST) as portal:
        yield portal

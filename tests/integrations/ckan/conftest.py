"""Fixtures: the fake CKAN portal with the real STJ files, and a fast client pointed at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jurisgraph.integrations.ckan import CkanPortal
from tests.fakes.ckan_portal import STJ_DATA, FakeCkanPortal, serve_ckan_portal

# No politeness delay and tiny backoffs: only the interval test waits on purpose.
FAST: dict[str, Any] = {
    "request_interval_s": 0.0,
    "timeout_s": 5.0,
    "max_retries": 3,
    "backoff_initial_s": 0.01,
    "backoff_max_s": 0.05,
}
MAX_BYTES = 50_000_000


def real_package_list() -> list[str]:
    """The real ``package_list`` answer of January 2024."""
    data = json.loads((STJ_DATA / "ckan" / "package_list_2024-01.json").read_text(encoding="utf-8"))
    names: list[str] = data["result"]
    return names


def real_integras_entries() -> dict[str, dict[str, Any]]:
    """The real íntegras resource entries, by name."""
    path = STJ_DATA / "ckan" / "integras_package_show_resources_metadados_2022-09_a_2024-01.json"
    return {entry["name"]: entry for entry in json.loads(path.read_text(encoding="utf-8"))}


def real_file(folder: str, name: str) -> Path:
    return STJ_DATA / folder / name


@pytest.fixture
def fake_portal() -> Iterator[FakeCkanPortal]:
    with serve_ckan_portal() as portal:
        yield portal


@pytest.fixture
def client(fake_portal: FakeCkanPortal) -> Iterator[CkanPortal]:
    with CkanPortal(fake_portal.base_url, **FAST) as portal:
        yield portal

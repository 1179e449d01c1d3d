"""An app on an empty private home (SQLite, migrated) for the account tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.config import Settings
from tests.fixtures.homes import make_settings


def app_settings(home: Path, **variables: str) -> Settings:
    """Settings of a migrated empty home, warnings only, no background embedding."""
    settings = make_settings(home, **variables)
    settings.app.log_level = "WARNING"
    settings.pipeline.embed_on_start = False
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    return settings


@contextmanager
def running(settings: Settings) -> Iterator[TestClient]:
    """The real app on ``settings``, started."""
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings of this test's empty, migrated home."""
    return app_settings(tmp_path / "home")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The app on this test's empty home."""
    with running(settings) as started:
        yield started

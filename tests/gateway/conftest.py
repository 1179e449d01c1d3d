"""Gateway fixtures: a migrated SQLite ledger per test (copied from one migrated template) and
the chat providers served locally."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jurisgraph.db import build_engine, build_sessionmaker
from jurisgraph.migrations import upgrade
from tests.integrations.llm.harness import Served, served


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("llm-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(migrated_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "ledger.db"
    shutil.copyfile(migrated_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = build_engine(db_url)
    try:
        yield build_sessionmaker(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=["gemini", "openai"])
def provider(request: pytest.FixtureRequest) -> Iterator[Served]:
    yield from served(request.param)


@pytest.fixture
def openai() -> Iterator[Served]:
    yield from served("openai")


@pytest.fixture
def gemini() -> Iterator[Served]:
    yield from served("gemini")

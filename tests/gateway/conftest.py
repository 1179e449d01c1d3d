"""Gateway fixtures: a migrated SQLite ledger per test, copied from the migrated template."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jurisgraph.db import build_engine, build_sessionmaker


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

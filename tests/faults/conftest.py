"""Fixtures of the fault tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jurisgraph.migrations import upgrade
from tests.fakes.openai_server import FakeOpenAIServer
from tests.faults.commands import DIM
from tests.fixtures.databases import mariadb_databases


@pytest.fixture
def embeddings() -> Iterator[FakeOpenAIServer]:
    """An OpenAI-protocol embedding server on 127.0.0.1 (DIM-wide pseudo vectors)."""
    with FakeOpenAIServer(dim=DIM) as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def database_pair(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """The databases of a reference run and of the run under test, of the same kind: once "" for
    both (each home's own SQLite file), once two fresh databases on the test MariaDB, migrated (a
    command refuses a server database that is not at the current schema)."""
    if request.param == "sqlite":
        yield "", ""
        return
    with mariadb_databases(2) as [reference, tested]:
        upgrade(reference)
        upgrade(tested)
        yield reference, tested

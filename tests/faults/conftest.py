"""Fixtures of the fault tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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


KINDS = ["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)]


@contextmanager
def _databases(kind: str, count: int) -> Iterator[list[str]]:
    if kind == "sqlite":
        yield [""] * count
        return
    with mariadb_databases(count) as urls:
        for url in urls:
            upgrade(url)
        yield urls


@pytest.fixture(params=KINDS)
def database(request: pytest.FixtureRequest) -> Iterator[str]:
    """The database of the run under test: once "" (the home's own SQLite file), once a fresh
    database on the test MariaDB, migrated (a command refuses a server database that is not at the
    current schema)."""
    with _databases(request.param, 1) as [url]:
        yield url


@pytest.fixture(params=KINDS)
def database_pair(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """The databases of a reference run and of the run under test, of the same kind: as
    ``database``, two of them."""
    with _databases(request.param, 2) as [reference, tested]:
        yield reference, tested

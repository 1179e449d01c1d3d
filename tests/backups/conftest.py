"""What the backup tests share: a corpus's content and answers, to compare before and after."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from jurisgraph.ask import service as ask_service
from jurisgraph.ask.gathering import AskOptions
from jurisgraph.backups.repository import table_counts
from jurisgraph.db import session_scope
from jurisgraph.runtime import Container
from jurisgraph.search.service import search
from jurisgraph.vectors_ops.stats import collection_stats
from tests.fixtures.databases import _drop_mariadb_database, _mariadb_server_url, _new_mariadb_database
from tests.fixtures.environment import MARIADB_ENV

QUESTIONS = (
    "Tema 1076 honorários advocatícios por apreciação equitativa",
    "reajuste de mensalidade de plano de saúde por faixa etária",
    "Tema 1172",
)


def counts(container: Container) -> dict[str, int]:
    """Rows per table."""
    with session_scope(container.sessions) as session:
        return table_counts(session)


def digests(container: Container, storage_root: Path) -> dict[str, str]:
    """A sha256 of every table's rows in a fixed order; stored paths are made relative to the
    storage root (a restore into another home moves the files)."""
    prefix = str(storage_root.resolve()).rstrip("/") + "/"
    found = {}
    with session_scope(container.sessions) as session:
        connection = session.connection()
        quote = connection.dialect.identifier_preparer.quote
        for name in sorted(inspect(connection).get_table_names()):
            columns = [c["name"] for c in inspect(connection).get_columns(name)]
            order = ", ".join(quote(c) for c in columns)
            digest = hashlib.sha256()
            for row in connection.execute(text(f"SELECT {order} FROM {quote(name)} ORDER BY {order}")):
                values = [v.replace(prefix, "<storage>/") if isinstance(v, str) else v for v in row]
                digest.update(repr(values).encode())
            found[name] = digest.hexdigest()
    return found


def points(container: Container) -> tuple[dict[str, int], dict[str, str]]:
    """Points per collection, and the aliases."""
    index = container.vector_index()
    return {info.name: info.points for info in collection_stats(index)}, index.aliases()


def answers(container: Container, workspace: int) -> list[Any]:
    """Search results and extractive answers (text and cited documents) to :data:`QUESTIONS`."""
    found: list[Any] = []
    for question in QUESTIONS:
        hits = search(container.retrieval(), question, [workspace], mode="hybrid", k=5)
        found.append([(h.document_key, h.chunk_id, h.start, h.end) for h in hits])
        with session_scope(container.sessions) as session:
            result = ask_service.ask(
                session, container.retrieval(), container.name_indexes, question, [workspace], AskOptions()
            )
        found.append((result.answer, [c.source.document_key for c in result.sources]))
    return found


@dataclass
class MariaDatabases:
    """New empty databases on the test MariaDB server, dropped at the end."""

    server: str
    names: list[str]

    def new(self) -> str:
        name, url = _new_mariadb_database(self.server)
        self.names.append(name)
        return url


@pytest.fixture
def mariadb() -> Iterator[MariaDatabases]:
    server = _mariadb_server_url()
    if not server:
        pytest.skip(f"{MARIADB_ENV} not set (run `make test`)")
    databases = MariaDatabases(server, [])
    try:
        yield databases
    finally:
        for name in databases.names:
            _drop_mariadb_database(server, name)

"""Fixtures of the vector operation tests: a container on the test's home, filled with real temas."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jurisgraph.runtime import Container
from tests.fixtures.homes import container_at
from tests.fixtures.vectors import SPEC, Tema, tema_points


@pytest.fixture
def container(home: Path) -> Iterator[Container]:
    """A migrated container on the test's home (embedded vector store in ``home/qdrant``)."""
    with container_at(home) as built:
        yield built


@pytest.fixture
def filled(container: Container, temas: list[Tema]) -> Container:
    """The container with the 300 temas in ``SPEC`` and the ``chunks`` alias pointing at it."""
    index = container.vector_index()
    index.ensure_collection(SPEC)
    index.upsert(SPEC, tema_points(temas))
    index.set_alias("chunks", SPEC)
    return container

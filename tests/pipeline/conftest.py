"""Fixtures of the pipeline acceptance tests: the bundled sample ingested once, small real mirrors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jurisgraph.datasets import service
from jurisgraph.pipeline.ingest import IngestReport
from jurisgraph.runtime import Container
from tests.pipeline.harness import container_at
from tests.pipeline.mirrors import small_files, write_mirror


@dataclass
class IngestedSample:
    """The bundled sample ingested into a private SQLite home, and the report of that run."""

    container: Container
    report: IngestReport


@pytest.fixture(scope="session")
def ingested_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IngestedSample]:
    """The whole sample ingested once per session (about 20 s): tests only read it, except the
    idempotence test, which re-runs the stages and must leave it as it found it."""
    home = tmp_path_factory.mktemp("sample-home")
    with container_at(home) as container:
        report = service.load_sample(container, dense=False)
        yield IngestedSample(container, report)


@pytest.fixture
def small_mirror(tmp_path: Path) -> Path:
    """A small real mirror with a ``catalog.json`` (about 55 records, ingested in about 1 s)."""
    return write_mirror(tmp_path / "mirror", small_files())

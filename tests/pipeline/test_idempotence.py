"""Running the ingestion, or any one of its stages, again leaves the corpus and the graph unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.models import Chunk, Document
from jurisgraph.pipeline import record_rows
from jurisgraph.pipeline.stages import communities, index, process
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container
from tests.fixtures.homes import container_at
from tests.fixtures.sample import Sample
from tests.fixtures.store import GraphState, differences, graph_state, integrity_problems, table_counts


@dataclass(frozen=True)
class Snapshot:
    """Everything a re-run must preserve."""

    counts: dict[str, int]
    documents: frozenset[str]
    chunks: frozenset[str]
    graph: GraphState


def snapshot(container: Container) -> Snapshot:
    with session_scope(container.sessions) as session:
        documents = frozenset(session.scalars(select(Document.key)))
        chunks = frozenset(session.scalars(select(Chunk.id)))
    return Snapshot(table_counts(container), documents, chunks, graph_state(container))


def assert_same(before: Snapshot, after: Snapshot) -> None:
    assert after.counts == before.counts
    assert after.documents == before.documents
    assert after.chunks == before.chunks
    assert differences(before.graph.nodes, after.graph.nodes) == []
    assert differences(before.graph.edges, after.graph.edges) == []
    assert differences(before.graph.communities, after.graph.communities) == []


def rerun_each_stage(container: Container, portal: str, resources: int) -> Snapshot:
    """sync, download, process (forced), communities and the sparse index once more, checking each report."""
    synced = service.sync_datasets(container, portal, None)
    assert (synced.new_resources, synced.changed_resources) == (0, 0)
    downloaded = service.download_resources(container, portal, ResourceFilter())
    assert (downloaded.downloaded, downloaded.failed) == (0, [])
    ctx = service.context(container)
    processed = process.run(ctx, ResourceFilter(), force=True)
    assert (processed.resources, processed.failed, processed.file_errors) == (resources, [], [])
    rebuilt = communities.run(ctx)
    assert rebuilt.communities == table_counts(container)["communities"]
    indexed = index.run(ctx, dense=False)
    assert (indexed.sparse_points, indexed.dense_points) == (0, 0)
    return snapshot(container)


def reextract_everything(container: Container, portal: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Ingest again under a new processing version: every document is chunked and extracted anew."""
    monkeypatch.setattr(record_rows, "PROCESSING_VERSION", "reextract-for-test")
    report = service.ingest(container, portal, ResourceFilter(), dense=False)
    assert report.process is not None and report.problems == []
    return report.process.documents


@pytest.mark.slow
def test_sample_ingest_and_each_stage_twice_on_sqlite(
    own_sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    container = own_sample.container
    first = own_sample.report.process
    assert first is not None
    before = snapshot(container)
    assert min(before.counts.values()) > 0

    again = service.load_sample(container, dense=False)
    assert again.process is not None
    assert (again.process.resources, again.process.skipped_unchanged) == (0, first.resources)
    assert again.communities is None
    assert_same(before, snapshot(container))

    assert_same(before, rerun_each_stage(container, str(service.sample_folder()), first.resources))
    assert reextract_everything(container, str(service.sample_folder()), monkeypatch) == first.documents
    assert_same(before, snapshot(container))
    assert integrity_problems(container) == []


def test_small_mirror_ingest_and_each_stage_twice(
    small_mirror: Path, empty_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with container_at(tmp_path / "home", empty_db_url) as container:
        first = service.ingest(container, str(small_mirror), ResourceFilter(), dense=False)
        assert first.process is not None and first.problems == []
        before = snapshot(container)
        assert min(before.counts.values()) > 0

        again = service.ingest(container, str(small_mirror), ResourceFilter(), dense=False)
        assert again.process is not None
        assert (again.process.resources, again.process.skipped_unchanged) == (0, first.process.resources)
        assert_same(before, snapshot(container))

        assert_same(before, rerun_each_stage(container, str(small_mirror), first.process.resources))

        forced = service.ingest(container, str(small_mirror), ResourceFilter(), force=True, dense=False)
        assert forced.process is not None and forced.process.resources == first.process.resources
        assert_same(before, snapshot(container))
        assert reextract_everything(container, str(small_mirror), monkeypatch) == first.process.documents
        assert_same(before, snapshot(container))
        assert integrity_problems(container) == []

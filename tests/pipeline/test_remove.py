"""Removing a resource leaves exactly the graph that ingesting the source without it builds."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from jurisgraph.datasets import service
from jurisgraph.engine.vectors import CHUNK_KIND
from jurisgraph.errors import ServiceUnavailable
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container
from tests.fixtures.homes import container_at
from tests.fixtures.mirrors import (
    INTEGRAS,
    PRECEDENTES,
    PRIMEIRA_TURMA,
    SAMPLE,
    espelho_records,
    resource_id,
    small_files,
    without,
    write_mirror,
)
from tests.fixtures.store import (
    GraphState,
    differences,
    document_keys,
    graph_state,
    integrity_problems,
    resource_row,
    table_counts,
)


def ingest_folder(container: Container, mirror: Path) -> None:
    report = service.ingest(container, str(mirror), ResourceFilter(), dense=False)
    assert report.process is not None and report.problems == []


def reference_state(tmp_path: Path, files: Mapping[str, Mapping[str, bytes]], catalog: bool) -> GraphState:
    """The graph of a fresh SQLite home that ingests ``files``."""
    mirror = write_mirror(tmp_path / "mirror-without", files, catalog=catalog)
    with container_at(tmp_path / "home-without") as container:
        ingest_folder(container, mirror)
        return graph_state(container)


def assert_same_graph(left: GraphState, right: GraphState) -> None:
    assert differences(left.nodes, right.nodes) == []
    assert differences(left.edges, right.edges) == []
    assert differences(left.communities, right.communities) == []


@pytest.mark.parametrize(
    ("slug", "name", "records"),
    [
        (PRIMEIRA_TURMA, "20220630.json", 2),
        (INTEGRAS, "metadados20230104.json", 12),
        # the companion of temas.csv: its rows (leading cases, relatores) live in the Temas' documents
        (PRECEDENTES, "processos.csv", 0),
    ],
)
def test_remove_equals_ingest_without_the_resource(
    tmp_path: Path, empty_db_url: str, slug: str, name: str, records: int
) -> None:
    files = small_files()
    mirror = write_mirror(tmp_path / "mirror", files)
    with container_at(tmp_path / "home", empty_db_url) as container:
        ingest_folder(container, mirror)
        before = table_counts(container)
        stored = resource_row(container, name, slug)
        assert stored.record_count == records
        assert service.remove(container, resource_id(slug, name)) == records
        after = graph_state(container)
        assert table_counts(container)["documents"] == before["documents"] - records
        assert integrity_problems(container) == []
        assert not Path(stored.storage_path or "").exists()
        keys = document_keys(container)
    assert_same_graph(after, reference_state(tmp_path, without(files, slug, name), catalog=True))
    assert len(keys) == before["documents"] - records


def test_remove_a_month_that_repeats_a_record_of_another_month(tmp_path: Path) -> None:
    """One acórdão may be published in two monthly files (SOURCES.md §2): removing the later file
    must leave the record that the earlier file still holds."""
    june = (SAMPLE / PRIMEIRA_TURMA / "20220630.json").read_bytes()
    july_records = espelho_records((SAMPLE / PRIMEIRA_TURMA / "20220731.json").read_bytes())
    repeated = next(r for r in espelho_records(june) if r["id"] == "000816183")
    july = json.dumps([*july_records, repeated], ensure_ascii=False, indent=2).encode("utf-8")
    files = {PRIMEIRA_TURMA: {"20220630.json": june, "20220731.json": july}}
    mirror = write_mirror(tmp_path / "mirror", files, catalog=False)
    with container_at(tmp_path / "home") as container:
        ingest_folder(container, mirror)
        assert document_keys(container) == {"espelho:000816172", "espelho:000816183", "espelho:000819468"}
        service.remove(container, resource_row(container, "20220731.json").resource_id)
        keys = document_keys(container)
        after = graph_state(container)
        assert integrity_problems(container) == []
    assert keys == {"espelho:000816172", "espelho:000816183"}
    assert_same_graph(
        after, reference_state(tmp_path, without(files, PRIMEIRA_TURMA, "20220731.json"), False)
    )


class FailingDeletes:
    """The container's vector index whose next ``delete_by_filter`` raises (the store is down)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.failures = 1

    def delete_by_filter(self, target: Any, filter: Any) -> None:
        if self.failures:
            self.failures -= 1
            raise ServiceUnavailable("vector store down")
        self.inner.delete_by_filter(target, filter)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_vector_store_failure_leaves_the_resource_to_remove_again(tmp_path: Path) -> None:
    files = {PRIMEIRA_TURMA: {"20220630.json": (SAMPLE / PRIMEIRA_TURMA / "20220630.json").read_bytes()}}
    mirror = write_mirror(tmp_path / "mirror", files, catalog=False)
    with container_at(tmp_path / "home") as container:
        ingest_folder(container, mirror)
        index = container.vector_index()
        points = index.count(CHUNK_KIND)
        assert points > 0
        before = table_counts(container)
        failing = FailingDeletes(index)
        container.provide(vector_index=failing)  # type: ignore[arg-type]
        resource = resource_row(container, "20220630.json").resource_id
        with pytest.raises(ServiceUnavailable):
            service.remove(container, resource)
        assert table_counts(container) == before  # nothing removed: the rows still name every point
        assert index.count(CHUNK_KIND) == points
        service.remove(container, resource)
        assert index.count(CHUNK_KIND) == 0
        assert table_counts(container)["documents"] == 0
        assert integrity_problems(container) == []

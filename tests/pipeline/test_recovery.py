"""A run that dies between storing mentions and rebuilding the graph is repaired by the next run."""

from __future__ import annotations

from pathlib import Path

import pytest

from jurisgraph.datasets import service
from jurisgraph.pipeline.stages import graph, process
from jurisgraph.pipeline.stages.selection import ResourceFilter
from tests.fixtures.homes import container_at
from tests.fixtures.mirrors import PRECEDENTES, small_files, write_mirror
from tests.fixtures.store import differences, graph_state, integrity_problems, resource_row, table_counts


def test_graph_rebuilt_after_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mirror = write_mirror(tmp_path / "mirror", small_files(temas=8))
    with container_at(tmp_path / "clean") as container:
        service.ingest(container, str(mirror), ResourceFilter(), dense=False)
        expected = graph_state(container)

    with container_at(tmp_path / "crashed") as container:
        real_rebuild = graph.rebuild

        def dies(*args: object, **kwargs: object) -> object:
            raise RuntimeError("killed before the graph rebuild")

        monkeypatch.setattr(graph, "rebuild", dies)
        with pytest.raises(RuntimeError):
            service.ingest(container, str(mirror), ResourceFilter(), dense=False)
        assert resource_row(container, "temas.csv", PRECEDENTES).status == "extracting_entities"
        counts = table_counts(container)
        assert counts["mentions"] > 0 and counts["graph_nodes"] == 0  # provenance stored, graph not built

        monkeypatch.setattr(graph, "rebuild", real_rebuild)
        report = process.run(service.context(container), ResourceFilter())
        assert report.skipped_unchanged > 0 and report.resources == 0  # nothing re-parsed
        service.ingest(container, str(mirror), ResourceFilter(), dense=False)
        assert integrity_problems(container) == []
        assert resource_row(container, "temas.csv", PRECEDENTES).status in ("entities_extracted", "embedding")
        state = graph_state(container)
    assert differences(expected.nodes, state.nodes) == []
    assert differences(expected.edges, state.edges) == []

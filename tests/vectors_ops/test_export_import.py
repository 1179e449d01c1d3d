"""Export to JSONL/Parquet and import back: every id, vector and payload survives; imports resume."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jurisgraph.engine.vectors import CollectionSpec, VectorIndex, VectorPoint
from jurisgraph.errors import ConfigError, InvalidInput, RetryableUpstreamError
from jurisgraph.kit.retry import RetryPolicy
from jurisgraph.runtime import Container
from jurisgraph.vectors_ops import service
from jurisgraph.vectors_ops.importing import import_file, state_path
from jurisgraph.vectors_ops.streams import Batch
from tests.fixtures.homes import container_at
from tests.fixtures.vectors import DIM, SPEC, Tema

FAST = RetryPolicy(max_retries=3, initial_wait=0.01, max_wait=0.02, jitter=0.01)


def _by_id(index: VectorIndex, name: str) -> dict[str, VectorPoint]:
    return {p.id: p for p in index.scroll(name)}


def _assert_same_points(a: dict[str, VectorPoint], b: dict[str, VectorPoint]) -> None:
    assert a.keys() == b.keys()
    for point_id, left in a.items():
        right = b[point_id]
        assert np.allclose(np.asarray(left.dense), np.asarray(right.dense), atol=1e-6), point_id
        assert left.sparse == right.sparse, point_id
        assert dict(left.payload) == dict(right.payload), point_id


def test_jsonl_export_has_a_header_then_one_record_per_point(
    filled: Container, temas: list[Tema], tmp_path: Path
) -> None:
    out = tmp_path / "chunks.jsonl"
    report = service.export(filled, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header == {
        "jurisgraph_vectors": 1,
        "collection": SPEC.name,
        "kind": "chunks",
        "model": "seeded-random",
        "dim": DIM,
        "count": len(temas),
    }
    records = [json.loads(line) for line in lines[1:]]
    assert report.points == len(records) == len(temas)
    assert {r["id"] for r in records} == {t.point_id for t in temas}
    first = next(r for r in records if r["id"] == temas[0].point_id)
    assert first["payload"]["text"] == temas[0].tese
    assert len(first["dense"]) == DIM
    assert set(first["sparse"]) == {"indices", "values"} and first["sparse"]["indices"]
    assert not (tmp_path / "chunks.jsonl.partial").exists()


@pytest.mark.parametrize("suffix", ["jsonl", "parquet"])
def test_round_trip_into_a_fresh_store_keeps_every_point(
    filled: Container, tmp_path: Path, suffix: str
) -> None:
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"chunks.{suffix}"
    service.export(filled, out)
    original = _by_id(filled.vector_index(), SPEC.name)
    with container_at(tmp_path / "other") as other:
        report = service.import_(other, out, alias="chunks", batch=64)
        index = other.vector_index()
        assert report.collection == SPEC.name and report.records == len(original)
        assert index.count(SPEC.name) == len(original)
        assert index.resolve_alias("chunks") == SPEC.name
        _assert_same_points(original, _by_id(index, SPEC.name))
    assert not state_path(out).exists()


def test_import_into_a_named_collection_and_dimension_checks(filled: Container, tmp_path: Path) -> None:
    out = tmp_path / "chunks.jsonl"
    service.export(filled, out)
    copy = CollectionSpec("chunks", "copy", DIM)
    report = service.import_(filled, out, collection=copy.name)
    assert filled.vector_index().count(copy.name) == report.records
    with pytest.raises(InvalidInput, match="32-d"):
        service.import_(filled, out, collection=CollectionSpec("chunks", "copy", 8).name)
    with pytest.raises(InvalidInput, match="not a collection name"):
        service.import_(filled, out, collection="whatever")


def test_parquet_is_written_in_row_groups_and_resumes_mid_group(
    filled: Container, temas: list[Tema], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from jurisgraph.vectors_ops import parquet

    monkeypatch.setattr(parquet, "ROW_GROUP", 64)
    out = tmp_path / "chunks.parquet"
    service.export(filled, out)
    meta = pq.ParquetFile(str(out)).metadata
    assert meta.num_rows == len(temas)
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [64, 64, 64, 64, 44]
    target = CollectionSpec("chunks", "parquet-copy", DIM)
    index = filled.vector_index()
    with pytest.raises(RuntimeError):
        import_file(index, out, collection=target.name, batch=50, after_batch=_fail_after(3))
    assert json.loads(state_path(out).read_text())["done"] == 150
    report = import_file(index, out, collection=target.name, batch=50)
    assert (report.resumed_from, report.written, report.records) == (150, 150, 300)
    _assert_same_points(_by_id(index, SPEC.name), _by_id(index, target.name))


def _fail_after(batches: int) -> Any:
    seen: list[Batch] = []

    def hook(batch: Batch) -> None:
        seen.append(batch)
        if len(seen) == batches:
            raise RuntimeError("interrupted on purpose")

    return hook


def test_an_interrupted_import_resumes_and_ends_complete_without_duplicates(
    filled: Container, temas: list[Tema], tmp_path: Path
) -> None:
    out = tmp_path / "chunks.jsonl"
    service.export(filled, out)
    target = CollectionSpec("chunks", "resumed", DIM)
    index = filled.vector_index()
    with pytest.raises(RuntimeError, match="on purpose"):
        service.import_(filled, out, collection=target.name, batch=40, after_batch=_fail_after(2))
    state = json.loads(state_path(out).read_text())
    assert state["done"] == 80 and state["collection"] == target.name
    assert index.count(target.name) == 80
    batches: list[Batch] = []
    report = service.import_(filled, out, collection=target.name, batch=40, after_batch=batches.append)
    assert report.resumed_from == 80 and report.written == len(temas) - 80
    assert batches[0].points[0].id == json.loads(out.read_text().splitlines()[81])["id"]
    assert index.count(target.name) == len(temas)
    assert set(_by_id(index, target.name)) == {t.point_id for t in temas}
    assert not state_path(out).exists()


def test_a_checkpoint_of_another_target_is_ignored(filled: Container, tmp_path: Path) -> None:
    out = tmp_path / "chunks.jsonl"
    service.export(filled, out)
    first = CollectionSpec("chunks", "first", DIM)
    with pytest.raises(RuntimeError):
        service.import_(filled, out, collection=first.name, batch=100, after_batch=_fail_after(1))
    second = CollectionSpec("chunks", "second", DIM)
    report = service.import_(filled, out, collection=second.name, batch=100)
    assert report.resumed_from == 0 and report.records == 300


class FlakyIndex:
    """A vector index whose first ``failures`` upserts raise ``error``."""

    def __init__(self, inner: VectorIndex, failures: int, error: Exception) -> None:
        self.inner = inner
        self.failures = failures
        self.error = error
        self.calls = 0

    def upsert(self, spec: CollectionSpec, points: Any) -> int:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return self.inner.upsert(spec, points)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_transient_store_errors_are_retried(filled: Container, tmp_path: Path) -> None:
    out = tmp_path / "chunks.jsonl"
    service.export(filled, out)
    flaky = FlakyIndex(filled.vector_index(), 2, RetryableUpstreamError("503 from the store"))
    target = CollectionSpec("chunks", "retried", DIM)
    report = import_file(flaky, out, collection=target.name, batch=100, retry=FAST)
    assert report.records == 300 and flaky.calls == 3 + 2
    assert filled.vector_index().count(target.name) == 300


def test_other_errors_are_not_retried(filled: Container, tmp_path: Path) -> None:
    out = tmp_path / "chunks.jsonl"
    service.export(filled, out)
    flaky = FlakyIndex(filled.vector_index(), 1, InvalidInput("bad point"))
    target = CollectionSpec("chunks", "not-retried", DIM)
    with pytest.raises(InvalidInput):
        import_file(flaky, out, collection=target.name, batch=100, retry=FAST)
    assert flaky.calls == 1


def test_parquet_without_pyarrow_names_the_package(
    filled: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ConfigError, match="'pyarrow'"):
        service.export(filled, tmp_path / "chunks.parquet")
    assert not (tmp_path / "chunks.parquet").exists()


def test_export_of_a_missing_collection_is_not_found(container: Container, tmp_path: Path) -> None:
    from jurisgraph.errors import NotFound

    with pytest.raises(NotFound, match="chunks"):
        service.export(container, tmp_path / "none.jsonl")


def test_import_into_a_qdrant_client_store_then_verify_against_the_file(
    filled: Container, temas: list[Tema], tmp_path: Path
) -> None:
    from jurisgraph.integrations.qdrant.server import ServerVectorIndex
    from jurisgraph.vectors_ops.verify import verify

    out = tmp_path / "chunks.jsonl"
    service.export(filled, out)
    with ServerVectorIndex(path=":memory:", retry=RetryPolicy(max_retries=0)) as server:
        report = import_file(server, out, alias="chunks", batch=128)
        assert report.records == server.count("chunks") == len(temas)
        result = verify(server, "chunks", source=service.against_points(filled, str(out)), sample=25, k=5)
        assert result.passed and result.recall == 1.0 and result.self_hit == 1.0
        _assert_same_points(_by_id(filled.vector_index(), SPEC.name), _by_id(server, "chunks"))

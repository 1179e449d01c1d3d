"""The ``VectorIndex`` contract, run against the embedded adapter and the server adapter (local mode, HTTP).

Payloads are real temas repetitivos (órgão, relator, judgment date); dense vectors are random
unit vectors planted per record, sparse vectors come from the BM25 encoder over the real text.
Expected counts are computed here from the records, never taken from an adapter.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jurisgraph.engine.vectors import (
    CollectionSpec,
    FieldIn,
    Filter,
    VectorIndex,
    VectorPoint,
    point_uuid,
)
from jurisgraph.errors import DimensionMismatch, InvalidInput, NotFound, ServiceUnavailable
from jurisgraph.integrations.qdrant.sparse import Bm25Encoder

from .conftest import OPENERS, Opener

DIM = 16
SPEC = CollectionSpec("chunks", "intfloat/multilingual-e5-small", DIM)
OTHER = CollectionSpec("chunks", "gemini-embedding-001", DIM)
SAMPLE = 40


def _unit(rng: np.random.Generator) -> np.ndarray[Any, np.dtype[np.float32]]:
    v = rng.standard_normal(DIM).astype(np.float32)
    out: np.ndarray[Any, np.dtype[np.float32]] = v / np.linalg.norm(v)
    return out


@pytest.fixture(scope="module")
def records(temas_repetitivos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every 37th tema (all four órgãos appear), with planted vectors."""
    chosen = temas_repetitivos[::37][:SAMPLE]
    rng = np.random.default_rng(2024)
    sparse = Bm25Encoder().encode_documents([r["text"] for r in chosen])
    return [{**r, "dense": _unit(rng), "sparse": s} for r, s in zip(chosen, sparse, strict=True)]


def _points(records: list[dict[str, Any]]) -> list[VectorPoint]:
    return [VectorPoint(r["id"], r["dense"], r["sparse"], r["payload"]) for r in records]


@pytest.fixture
def filled(index: VectorIndex, records: list[dict[str, Any]]) -> VectorIndex:
    """A fresh adapter holding the records, for tests that change them."""
    assert index.ensure_collection(SPEC) is True
    assert index.upsert(SPEC, _points(records)) == len(records)
    return index


@pytest.fixture(scope="module", params=sorted(OPENERS))
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, Any]]
) -> Iterator[VectorIndex]:
    """One adapter per module holding the records, for tests that only read."""
    index = OPENERS[request.param](tmp_path_factory.mktemp(request.param))
    index.ensure_collection(SPEC)
    index.upsert(SPEC, _points(records))
    yield index
    index.close()


def test_collection_name_and_idempotent_ensure(index: VectorIndex) -> None:
    assert SPEC.name == "chunks__intfloat-multilingual-e5-small__16"
    assert index.ensure_collection(SPEC) is True
    assert index.ensure_collection(SPEC) is False
    assert index.list_collections() == [SPEC.name]


def test_reupsert_is_idempotent(filled: VectorIndex, records: list[dict[str, Any]]) -> None:
    assert filled.count(SPEC) == len(records)
    filled.upsert(SPEC, _points(records[:10]))
    assert filled.count(SPEC) == len(records)
    got = filled.retrieve(SPEC, [r["id"] for r in records[:3]] + ["missing"])
    assert {p.id for p in got} == {r["id"] for r in records[:3]}


def test_dimension_mismatch_writes_nothing(index: VectorIndex, records: list[dict[str, Any]]) -> None:
    index.ensure_collection(SPEC)
    points = [*_points(records[:5]), VectorPoint("bad", np.ones(DIM + 1), None, {})]
    with pytest.raises(DimensionMismatch):
        index.upsert(SPEC, points)
    assert index.count(SPEC) == 0
    with pytest.raises(DimensionMismatch):
        index.search_dense(SPEC, np.ones(DIM - 1))
    with pytest.raises(DimensionMismatch):
        index.upsert(SPEC, [VectorPoint("short", [1.0, 2.0])])
    with pytest.raises(DimensionMismatch):
        index.update_dense(SPEC, {"short": [1.0, 2.0]})


def test_upsert_into_missing_collection_is_not_found(
    index: VectorIndex, records: list[dict[str, Any]]
) -> None:
    with pytest.raises(NotFound):
        index.upsert(SPEC, _points(records[:1]))
    with pytest.raises(NotFound):
        index.count("chunks")


def test_filters_match_the_records(shared: VectorIndex, records: list[dict[str, Any]]) -> None:
    def expected(pred: Any) -> set[str]:
        return {r["id"] for r in records if pred(r["payload"])}

    ws = Filter.where(workspace_id="stj")
    assert shared.count(SPEC, ws) == len(expected(lambda p: p["workspace_id"] == "stj"))

    secoes = ["Primeira Seção", "Segunda Seção"]
    by_orgao = Filter.where(workspace_id="stj", orgao_julgador=secoes)
    want = expected(lambda p: p["workspace_id"] == "stj" and p["orgao_julgador"] in secoes)
    assert 0 < len(want) < len(records)
    assert shared.count(SPEC, by_orgao) == len(want)

    in_2012 = Filter().between("date", "2012-01-01", "2012-12-31")
    want_2012 = expected(lambda p: "2012-01-01" <= p.get("date", "") <= "2012-12-31")
    assert shared.count(SPEC, in_2012) == len(want_2012)

    target = next(r for r in records if r["id"] in want)
    hits = shared.search_dense(SPEC, target["dense"], filter=by_orgao, limit=len(records))
    assert hits[0].id == target["id"]
    assert {h.id for h in hits} == want

    numbers = Filter(conditions=(FieldIn("numero", tuple(r["payload"]["numero"] for r in records[:3])),))
    assert shared.count(SPEC, numbers) == 3
    assert shared.count(SPEC, Filter().between("numero", 1, 500)) == len(
        expected(lambda p: 1 <= p["numero"] <= 500)
    )


def test_dense_sparse_and_hybrid_find_the_planted_point(
    shared: VectorIndex, records: list[dict[str, Any]]
) -> None:
    rng = np.random.default_rng(5)
    encoder = Bm25Encoder()
    for record in records[::9]:
        noisy = record["dense"] + 0.05 * rng.standard_normal(DIM)
        dense_hits = shared.search_dense(SPEC, noisy, limit=3)
        assert dense_hits[0].id == record["id"]
        assert dense_hits[0].payload == record["payload"]
        assert dense_hits[0].score > dense_hits[1].score

        text_query = encoder.encode_query(record["text"])
        assert shared.search_sparse(SPEC, text_query, limit=1)[0].id == record["id"]

        hybrid = shared.search_hybrid(SPEC, dense=noisy, sparse=text_query, limit=5)
        assert hybrid[0].id == record["id"]
        assert len(hybrid) == 5
    assert shared.search_sparse(SPEC, encoder.encode_query("   "), limit=3) == []
    with pytest.raises(InvalidInput):
        shared.search_hybrid(SPEC, limit=3)


def test_delete_and_delete_by_filter(filled: VectorIndex, records: list[dict[str, Any]]) -> None:
    gone = [r["id"] for r in records[:2]]
    filled.delete(SPEC, [*gone, "never-there"])
    assert filled.count(SPEC) == len(records) - 2
    assert filled.retrieve(SPEC, gone) == []

    left = records[2:]
    drop = Filter.where(workspace_id="ws-private")
    filled.delete_by_filter(SPEC, drop)
    assert filled.count(SPEC) == sum(1 for r in left if r["payload"]["workspace_id"] != "ws-private")
    assert filled.count(SPEC, drop) == 0
    with pytest.raises(InvalidInput):
        filled.delete_by_filter(SPEC, Filter())


def test_scroll_returns_what_was_written(shared: VectorIndex, records: list[dict[str, Any]]) -> None:
    by_id = {r["id"]: r for r in records}
    seen = list(shared.scroll(SPEC, batch=7))
    assert sorted(p.id for p in seen) == sorted(by_id)
    for point in seen:
        record = by_id[point.id]
        assert point.payload == record["payload"]
        assert point.dense is not None
        np.testing.assert_allclose(np.asarray(point.dense), record["dense"], atol=1e-6)
        assert point.sparse is not None
        assert dict(zip(point.sparse.indices, point.sparse.values, strict=True)) == pytest.approx(
            dict(zip(record["sparse"].indices, record["sparse"].values, strict=True))
        )


def test_update_dense_keeps_sparse_and_payload(index: VectorIndex, records: list[dict[str, Any]]) -> None:
    index.ensure_collection(SPEC)
    first = records[0]
    index.upsert(SPEC, [VectorPoint(first["id"], None, first["sparse"], first["payload"])])
    assert index.search_dense(SPEC, first["dense"]) == []
    index.update_dense(SPEC, {first["id"]: first["dense"]})
    [point] = index.retrieve(SPEC, [first["id"]], with_vectors=True)
    assert point.payload == first["payload"]
    assert point.sparse is not None and set(point.sparse.indices) == set(first["sparse"].indices)
    assert index.search_dense(SPEC, first["dense"])[0].id == first["id"]
    with pytest.raises(NotFound):
        index.update_dense(SPEC, {"not-written": first["dense"]})


def test_alias_swap_is_atomic_and_searches_follow(index: VectorIndex, records: list[dict[str, Any]]) -> None:
    old, new = records[0], records[1]
    for spec, record in ((SPEC, old), (OTHER, new)):
        index.ensure_collection(spec)
        index.upsert(spec, [VectorPoint(record["id"], record["dense"], record["sparse"], record["payload"])])
    probe = (old["dense"] + new["dense"]) / 2
    index.set_alias("chunks", SPEC)
    assert index.resolve_alias("chunks") == SPEC.name
    assert index.search_dense("chunks", probe, limit=1)[0].id == old["id"]

    failures: list[BaseException] = []
    answers: set[str] = set()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                answers.add(index.search_dense("chunks", probe, limit=1)[0].id)
            except BaseException as exc:
                failures.append(exc)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    for i in range(10):
        index.set_alias("chunks", OTHER if i % 2 == 0 else SPEC)
    index.set_alias("chunks", OTHER)
    stop.set()
    thread.join()
    assert failures == []
    assert answers <= {old["id"], new["id"]}
    assert index.aliases() == {"chunks": OTHER.name}
    assert index.search_dense("chunks", probe, limit=1)[0].id == new["id"]
    assert index.count(SPEC) == 1

    with pytest.raises(InvalidInput):
        index.drop_collection("chunks")
    index.drop_collection(OTHER)
    assert index.resolve_alias("chunks") is None
    assert index.list_collections() == [SPEC.name]
    with pytest.raises(NotFound):
        index.set_alias("chunks", OTHER)


def test_reopen_after_close_keeps_data(opener: Opener, tmp_path: Path, records: list[dict[str, Any]]) -> None:
    index = opener(tmp_path)
    index.ensure_collection(SPEC)
    index.upsert(SPEC, _points(records))
    index.set_alias("chunks", SPEC)
    index.close()
    with pytest.raises(ServiceUnavailable):
        index.count(SPEC)

    again = opener(tmp_path)
    try:
        assert again.count("chunks") == len(records)
        assert again.aliases() == {"chunks": SPEC.name}
        assert again.ensure_collection(SPEC) is False
        assert again.search_dense("chunks", records[3]["dense"], limit=1)[0].id == records[3]["id"]
    finally:
        again.close()


def test_point_ids_are_uuid5_of_our_ids(shared: VectorIndex, records: list[dict[str, Any]]) -> None:
    import uuid

    from jurisgraph.engine.vectors import POINT_NAMESPACE

    assert point_uuid(records[0]["id"]) == str(uuid.uuid5(POINT_NAMESPACE, records[0]["id"]))
    hits = shared.search_dense(SPEC, records[0]["dense"], limit=1)
    assert hits[0].id == records[0]["id"] and "_id" not in hits[0].payload


def test_optimize_keeps_results(shared: VectorIndex, records: list[dict[str, Any]]) -> None:
    before = [h.id for h in shared.search_dense(SPEC, records[4]["dense"], limit=5)]
    shared.optimize(SPEC)
    assert [h.id for h in shared.search_dense(SPEC, records[4]["dense"], limit=5)] == before

"""Value types and naming rules of the vector port (``jurisgraph.engine.vectors``)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from jurisgraph.engine.vectors import (
    POINT_NAMESPACE,
    CollectionSpec,
    FieldIn,
    FieldMatch,
    FieldRange,
    Filter,
    SparseVector,
    VectorPoint,
    parse_collection_name,
    point_uuid,
)
from jurisgraph.errors import DimensionMismatch, InvalidInput, ServiceUnavailable
from jurisgraph.integrations.qdrant.edge import EdgeVectorIndex
from jurisgraph.integrations.qdrant.points import prepare_points


def test_collection_names_are_deterministic_and_parseable() -> None:
    spec = CollectionSpec("entities", "models/gemini-embedding-001", 768)
    assert spec.name == "entities__models-gemini-embedding-001__768"
    assert spec.alias == "entities"
    assert parse_collection_name(spec.name) == ("entities", "models-gemini-embedding-001", 768)
    assert parse_collection_name("entities") is None
    long_name = CollectionSpec("reports", "x" * 300, 8).name
    assert len(long_name) < 120 and long_name == CollectionSpec("reports", "x" * 300, 8).name
    for bad in (("pages", "m", 8), ("chunks", "m", 0), ("chunks", "///", 8)):
        with pytest.raises(InvalidInput):
            CollectionSpec(*bad)


def test_point_uuid_is_uuid5_of_the_id() -> None:
    assert point_uuid("chunk:integra:163410022:0") == str(
        uuid.uuid5(POINT_NAMESPACE, "chunk:integra:163410022:0")
    )
    assert point_uuid("a") != point_uuid("b")
    with pytest.raises(InvalidInput):
        point_uuid("")


def test_filter_building() -> None:
    f = Filter.where(workspace_id="stj", orgao_julgador=["PRIMEIRA TURMA", "SEGUNDA TURMA"], relator=None)
    assert f.conditions == (
        FieldMatch("workspace_id", "stj"),
        FieldIn("orgao_julgador", ("PRIMEIRA TURMA", "SEGUNDA TURMA")),
    )
    ranged = f.between("date", date(2022, 5, 1), "2022-06-30")
    cond = ranged.conditions[-1]
    assert isinstance(cond, FieldRange) and cond.is_temporal
    assert cond.iso_bounds() == {"gte": "2022-05-01", "lte": "2022-06-30"}
    assert not Filter() and f.between("date") is f
    with pytest.raises(InvalidInput):
        FieldRange("date", gte="2022-01-01", lte=5)
    with pytest.raises(InvalidInput):
        FieldIn("numero", (1, "2"))


def test_sparse_vector_is_validated() -> None:
    assert len(SparseVector.of([3, 1], [0.5, 2])) == 2
    for indices, values in (([1, 1], [1.0, 1.0]), ([1], [1.0, 2.0]), ([-1], [1.0])):
        with pytest.raises(InvalidInput):
            SparseVector.of(indices, values)


def test_prepare_points_checks_everything_first() -> None:
    spec = CollectionSpec("chunks", "m", 3)
    good = VectorPoint("a", np.array([1.0, 0.0, 0.0]), None, {"date": date(2022, 5, 3), "tags": ("x",)})
    [stored] = prepare_points(spec, [good, good])
    assert stored.payload == {"date": "2022-05-03", "tags": ["x"], "_id": "a"}
    with pytest.raises(DimensionMismatch):
        prepare_points(spec, [good, VectorPoint("b", [1.0, 2.0])])
    for bad in (
        VectorPoint("c"),
        VectorPoint("d", [float("nan"), 0.0, 0.0]),
        VectorPoint("e", [0.0, 0.0, 0.0]),
        VectorPoint("f", [1.0, 0.0, 0.0], None, {"_id": "x"}),
    ):
        with pytest.raises(InvalidInput):
            prepare_points(spec, [bad])


def test_edge_folder_has_one_owner(tmp_path: Path) -> None:
    spec = CollectionSpec("chunks", "m", 3)
    owner = EdgeVectorIndex(tmp_path)
    owner.ensure_collection(spec)
    second = EdgeVectorIndex(tmp_path)
    try:
        with pytest.raises(ServiceUnavailable):
            second.count(spec)
    finally:
        second.close()
        owner.close()

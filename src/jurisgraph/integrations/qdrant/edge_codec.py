"""Conversions between the vector port's types and qdrant-edge's, and edge error mapping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import qdrant_edge as qe

from jurisgraph.engine.vectors import (
    DATE_FIELDS,
    DENSE,
    KEYWORD_FIELDS,
    SPARSE,
    CollectionSpec,
    FieldIn,
    FieldMatch,
    FieldRange,
    Filter,
    SearchHit,
    SparseVector,
    VectorPoint,
    VectorStoreError,
)
from jurisgraph.errors import DimensionMismatch, InvalidInput, JurisgraphError, NotFound, ServiceUnavailable
from jurisgraph.integrations.qdrant.points import StoredPoint, require_filter, split_payload


def edge_config(spec: CollectionSpec) -> qe.EdgeConfig:
    """Shard config: named dense vector (cosine) and named sparse vector with IDF."""
    return qe.EdgeConfig(
        vectors={DENSE: qe.EdgeVectorParams(size=spec.dim, distance=qe.Distance.Cosine)},
        sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
    )


def index_operations(existing: set[str]) -> list[qe.UpdateOperation]:
    """Payload index creations for the filter fields not yet in ``existing``."""
    ops: list[qe.UpdateOperation] = []
    for name in KEYWORD_FIELDS:
        if name not in existing:
            params = qe.KeywordIndexParams(is_tenant=name == "workspace_id")
            ops.append(qe.UpdateOperation.create_field_index(name, params))
    for name in DATE_FIELDS:
        if name not in existing:
            ops.append(qe.UpdateOperation.create_field_index(name, qe.PayloadSchemaType.Datetime))
    return ops


def edge_sparse(vector: SparseVector) -> qe.SparseVector:
    """Port sparse vector to edge."""
    return qe.SparseVector(list(vector.indices), list(vector.values))


def edge_point(point: StoredPoint) -> qe.Point:
    """Validated point to an edge point with named vectors."""
    vectors: dict[str, Any] = {}
    if point.dense is not None:
        vectors[DENSE] = point.dense
    if point.sparse is not None:
        vectors[SPARSE] = edge_sparse(point.sparse)
    return qe.Point(point.uuid, vectors, point.payload)


def _condition(cond: FieldMatch | FieldIn | FieldRange) -> qe.FieldCondition:
    if isinstance(cond, FieldMatch):
        return qe.FieldCondition(cond.field, match=qe.MatchValue(cond.value))
    if isinstance(cond, FieldIn):
        values: Any = list(cond.values)
        return qe.FieldCondition(cond.field, match=qe.MatchAny(values))
    if cond.is_temporal:
        return qe.FieldCondition(cond.field, range=qe.RangeDateTime(**cond.iso_bounds()))
    return qe.FieldCondition(cond.field, range=qe.RangeFloat(**cond.number_bounds()))


def edge_filter(filter: Filter | None) -> qe.Filter | None:
    """Port filter to an edge filter (``None`` when empty)."""
    return edge_filter_required(filter) if filter else None


def edge_filter_required(filter: Filter) -> qe.Filter:
    """Port filter to an edge filter; an empty one (select all) is refused."""
    require_filter(filter)
    return qe.Filter(must=[_condition(c) for c in filter.conditions])


def _vectors(raw: Any) -> tuple[list[float] | None, SparseVector | None]:
    if not isinstance(raw, dict):
        return None, None
    dense = raw.get(DENSE)
    sparse = raw.get(SPARSE)
    return (
        [float(x) for x in dense] if dense is not None else None,
        SparseVector.of(sparse.indices, sparse.values) if sparse is not None else None,
    )


def to_vector_point(record: qe.Record, with_vectors: bool = True) -> VectorPoint:
    """Edge record to a port point (our id restored from the payload)."""
    our_id, payload = split_payload(record.payload, record.id)
    dense, sparse = _vectors(record.vector) if with_vectors else (None, None)
    return VectorPoint(id=our_id, dense=dense, sparse=sparse, payload=payload)


def to_hit(point: qe.ScoredPoint) -> SearchHit:
    """Edge scored point to a port hit."""
    our_id, payload = split_payload(point.payload, point.id)
    return SearchHit(id=our_id, score=float(point.score), payload=payload)


def edge_dense_size(config: dict[str, Any]) -> int | None:
    """Dense vector size recorded in a shard's ``edge_config.json``."""
    size = config.get("vectors", {}).get(DENSE, {}).get("size")
    return int(size) if size is not None else None


def translate(exc: Exception) -> JurisgraphError:
    """Map an edge exception (plain ``Exception`` with a message) to the project's errors."""
    message = str(exc)
    lowered = message.lower()
    if "dimension error" in lowered:
        return DimensionMismatch(message)
    if "no point with id" in lowered:
        return NotFound(message)
    if "not existing vector name" in lowered or "wrong input" in lowered:
        return InvalidInput(message)
    if "wouldblock" in lowered or "failed to open wal" in lowered:
        return ServiceUnavailable(f"collection folder is in use by another process: {message}")
    return VectorStoreError(f"embedded vector store failed: {message}")


@contextmanager
def edge_errors() -> Iterator[None]:
    """Re-raise edge failures as project errors; project errors pass through."""
    try:
        yield
    except JurisgraphError:
        raise
    except Exception as exc:
        raise translate(exc) from exc

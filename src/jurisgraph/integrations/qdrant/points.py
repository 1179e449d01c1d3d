"""Point preparation shared by the Qdrant adapters: validation, payload encoding, id mapping.

Everything is checked before anything is written, so a bad point never leaves a half-written batch.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

import numpy as np

from jurisgraph.engine.vectors import (
    ID_FIELD,
    CollectionSpec,
    DenseVector,
    Filter,
    SparseVector,
    VectorPoint,
    parse_collection_name,
    point_uuid,
)
from jurisgraph.errors import DimensionMismatch, InvalidInput

RRF_K = 60
BATCH = 256


def dense_list(vector: DenseVector, dim: int | None) -> list[float]:
    """Check a dense vector (1-D, finite, ``dim`` long when given) and return it as floats."""
    arr = np.asarray(vector, dtype=np.float32)
    if arr.ndim != 1 or (dim is not None and arr.shape[0] != dim):
        raise DimensionMismatch(f"dense vector has shape {arr.shape}, collection expects ({dim},)")
    if not np.isfinite(arr).all():
        raise InvalidInput("dense vector has NaN or infinite values")
    if not arr.any():
        raise InvalidInput("dense vector is all zeros (no cosine direction)")
    values: list[float] = arr.tolist()
    return values


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidInput("payload holds NaN or infinity")
    return value


def stored_payload(point: VectorPoint) -> dict[str, Any]:
    """The payload written to the store: JSON values (dates as ISO strings) plus ``ID_FIELD``."""
    if ID_FIELD in point.payload:
        raise InvalidInput(f"payload key {ID_FIELD!r} is reserved")
    payload: dict[str, Any] = _json_value(point.payload)
    payload[ID_FIELD] = point.id
    return payload


def split_payload(payload: Mapping[str, Any] | None, point_id: object) -> tuple[str, dict[str, Any]]:
    """Our id and the caller's payload from a stored payload (the point id as text if foreign)."""
    data = dict(payload or {})
    our_id = data.pop(ID_FIELD, None)
    return (our_id if isinstance(our_id, str) else str(point_id)), data


@dataclass(frozen=True, slots=True)
class StoredPoint:
    """A validated point as the store sees it: uuid, dense floats, sparse vector, stored payload."""

    uuid: str
    dense: list[float] | None
    sparse: SparseVector | None
    payload: dict[str, Any]


def prepare_points(spec: CollectionSpec, points: Iterable[VectorPoint]) -> list[StoredPoint]:
    """Validate every point before anything is written (dims, ids, at least one vector).

    The last occurrence of a repeated id wins.
    """
    prepared: dict[str, StoredPoint] = {}
    for point in points:
        if point.dense is None and point.sparse is None:
            raise InvalidInput(f"point {point.id!r} has neither a dense nor a sparse vector")
        dense = None if point.dense is None else dense_list(point.dense, spec.dim)
        key = point_uuid(point.id)
        prepared[key] = StoredPoint(key, dense, point.sparse, stored_payload(point))
    return list(prepared.values())


def candidates_for(limit: int, candidates: int | None) -> int:
    """How many hits each hybrid prefetch gathers before fusion."""
    if limit <= 0:
        raise InvalidInput("limit must be positive")
    return max(candidates or 0, 4 * limit, 40)


def collection_dim(name: str) -> int | None:
    """Dense size encoded in a physical name (``None`` for a name outside the scheme)."""
    parsed = parse_collection_name(name)
    return None if parsed is None else parsed[2]


def query_dense(vector: DenseVector, spec_or_name: CollectionSpec | str) -> list[float]:
    """Check a dense query vector against the collection's size when it is known."""
    dim = spec_or_name.dim if isinstance(spec_or_name, CollectionSpec) else collection_dim(spec_or_name)
    return dense_list(vector, dim)


def require_filter(filter: Filter) -> None:
    """Refuse an empty filter where it would select every point."""
    if not filter:
        raise InvalidInput("an empty filter would select every point")

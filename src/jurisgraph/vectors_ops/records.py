"""The export format: a header describing the collection, then one record per point.

A record is ``{"id", "dense": [...] | null, "sparse": {"indices", "values"} | null, "payload"}``.
The header is ``{"jurisgraph_vectors": 1, "collection", "kind", "model", "dim", "count"}``;
``kind`` and ``model`` come from the physical name (``<kind>__<model>__<dim>``) and are null
for a collection outside that scheme.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from jurisgraph.engine.vectors import CollectionSpec, SparseVector, VectorPoint, parse_collection_name
from jurisgraph.errors import InvalidInput, ParseError

FORMAT_KEY = "jurisgraph_vectors"
FORMAT_VERSION = 1

Format = Literal["jsonl", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "parquet")


@dataclass(frozen=True, slots=True)
class Header:
    """What an export file holds: source collection, its kind/model/dim, and the point count."""

    collection: str
    dim: int | None
    count: int
    kind: str | None = None
    model: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The header object as written first in a file."""
        return {
            FORMAT_KEY: FORMAT_VERSION,
            "collection": self.collection,
            "kind": self.kind,
            "model": self.model,
            "dim": self.dim,
            "count": self.count,
        }

    @classmethod
    def from_json(cls, data: Any) -> Header:
        """Parse a header object; ParseError when it is not one of ours or of another version."""
        if not isinstance(data, dict) or data.get(FORMAT_KEY) is None:
            raise ParseError(f"not a vector export: the first record has no {FORMAT_KEY!r} key")
        if data[FORMAT_KEY] != FORMAT_VERSION:
            raise ParseError(f"unsupported vector export version {data[FORMAT_KEY]!r}")
        try:
            dim = None if data.get("dim") is None else int(data["dim"])
            return cls(
                collection=str(data["collection"]),
                dim=dim,
                count=int(data.get("count") or 0),
                kind=data.get("kind"),
                model=data.get("model"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ParseError(f"malformed vector export header: {exc}") from exc

    @classmethod
    def for_collection(cls, name: str, count: int, dim: int | None) -> Header:
        """The header of collection ``name``; kind, model and dim come from a name in the scheme."""
        parsed = parse_collection_name(name)
        if parsed is None:
            return cls(collection=name, dim=dim, count=count)
        kind, model, named_dim = parsed
        return cls(collection=name, dim=named_dim, count=count, kind=kind, model=model)

    def spec(self) -> CollectionSpec:
        """The collection spec the header describes (InvalidInput if it lacks kind/model/dim)."""
        if self.kind is None or self.model is None or self.dim is None:
            raise InvalidInput(
                f"the export of {self.collection!r} has no kind/model/dim; give --collection KIND__MODEL__DIM"
            )
        return CollectionSpec(kind=self.kind, model=self.model, dim=self.dim)


def spec_from_name(name: str) -> CollectionSpec:
    """The spec of a physical collection name ``<kind>__<model>__<dim>`` (InvalidInput otherwise)."""
    parsed = parse_collection_name(name)
    if parsed is None:
        raise InvalidInput(f"{name!r} is not a collection name of the form <kind>__<model>__<dim>")
    kind, model, dim = parsed
    spec = CollectionSpec(kind=kind, model=model, dim=dim)
    if spec.name != name:
        raise InvalidInput(f"{name!r} is not a normalised collection name (expected {spec.name!r})")
    return spec


def detect_format(path: Path, given: str | None = None) -> Format:
    """``given`` if set, else the format implied by the file suffix (``.parquet`` or JSONL)."""
    value = (given or ("parquet" if path.suffix.lower() in (".parquet", ".pq") else "jsonl")).lower()
    if value not in FORMATS:
        raise InvalidInput(f"unknown format {given!r}; use one of {', '.join(FORMATS)}")
    return value


def dense_floats(vector: Any) -> list[float] | None:
    """A dense vector as a plain float list (None stays None)."""
    if vector is None:
        return None
    values: list[float] = np.asarray(vector, dtype=np.float32).tolist()
    return values


def point_to_record(point: VectorPoint) -> dict[str, Any]:
    """The JSON-ready record of a point."""
    sparse = point.sparse
    return {
        "id": point.id,
        "dense": dense_floats(point.dense),
        "sparse": None
        if sparse is None
        else {"indices": list(sparse.indices), "values": list(sparse.values)},
        "payload": dict(point.payload),
    }


def record_to_point(record: Mapping[str, Any]) -> VectorPoint:
    """A point from a record (ParseError when a field has the wrong shape)."""
    try:
        point_id = record["id"]
        if not isinstance(point_id, str) or not point_id:
            raise ParseError(f"record id must be a non-empty string, not {point_id!r}")
        raw_sparse = record.get("sparse")
        sparse = None
        if raw_sparse is not None:
            sparse = SparseVector.of(raw_sparse["indices"], raw_sparse["values"])
        payload = record.get("payload") or {}
        if not isinstance(payload, dict):
            raise ParseError(f"payload of {point_id!r} is not an object")
        dense = record.get("dense")
        return VectorPoint(
            id=point_id, dense=None if dense is None else list(dense), sparse=sparse, payload=payload
        )
    except (KeyError, TypeError, ValueError, InvalidInput) as exc:
        if isinstance(exc, ParseError):
            raise
        raise ParseError(f"malformed vector record: {exc}") from exc

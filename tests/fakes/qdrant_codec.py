"""Qdrant REST JSON to qdrant-edge objects and back, for the Qdrant-protocol test server.

Only the shapes the REST API documents are read (``PointStruct``, batch upserts, ``Filter``
with its conditions, ``QueryRequest`` with prefetch and fusion); anything else is refused with
:class:`WrongInput`, which the server answers as Qdrant does (400, ``Wrong input: …``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import qdrant_edge as qe

DISTANCES = {
    "cosine": qe.Distance.Cosine,
    "euclid": qe.Distance.Euclid,
    "dot": qe.Distance.Dot,
    "manhattan": qe.Distance.Manhattan,
}
SCHEMA_TYPES = {
    "keyword": qe.PayloadSchemaType.Keyword,
    "integer": qe.PayloadSchemaType.Integer,
    "float": qe.PayloadSchemaType.Float,
    "geo": qe.PayloadSchemaType.Geo,
    "text": qe.PayloadSchemaType.Text,
    "bool": qe.PayloadSchemaType.Bool,
    "datetime": qe.PayloadSchemaType.Datetime,
    "uuid": qe.PayloadSchemaType.Uuid,
}
SCHEMA_NAMES = {v: k for k, v in SCHEMA_TYPES.items()}
RRF_DEFAULT_K = 2
"""Qdrant's ranking constant for ``{"fusion": "rrf"}`` and ``{"rrf": {}}`` (the adapter sends k=60)."""


class WrongInput(ValueError):
    """A request body the server cannot read (answered 400)."""


# -- collections --------------------------------------------------------------------------


def edge_config(body: Mapping[str, Any]) -> qe.EdgeConfig:
    """A ``CreateCollection`` body to a shard config (named or unnamed dense, sparse with IDF)."""
    raw = body.get("vectors")
    vectors: dict[str, qe.EdgeVectorParams] = {}
    if isinstance(raw, Mapping) and "size" in raw:
        vectors[""] = _vector_params(raw)
    elif isinstance(raw, Mapping):
        vectors = {name: _vector_params(params) for name, params in raw.items()}
    sparse: dict[str, qe.EdgeSparseVectorParams] = {}
    for name, params in (body.get("sparse_vectors") or {}).items():
        modifier = (params or {}).get("modifier")
        if modifier not in (None, "none", "idf"):
            raise WrongInput(f"unknown sparse modifier {modifier!r}")
        sparse[name] = qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf if modifier == "idf" else None)
    if not vectors and not sparse:
        raise WrongInput("a collection needs dense or sparse vectors")
    return qe.EdgeConfig(vectors=vectors or None, sparse_vectors=sparse or None)


def _vector_params(params: Mapping[str, Any]) -> qe.EdgeVectorParams:
    distance = DISTANCES.get(str(params.get("distance", "")).lower())
    if distance is None or not isinstance(params.get("size"), int):
        raise WrongInput(f"bad vector params {dict(params)!r}")
    return qe.EdgeVectorParams(size=params["size"], distance=distance)


def collection_params(config: Mapping[str, Any]) -> dict[str, Any]:
    """``CollectionParams`` from a shard's ``edge_config.json``."""
    dense = config.get("vectors") or {}
    vectors: Any = {
        name: {"size": p["size"], "distance": p.get("distance", "Cosine"), "on_disk": False}
        for name, p in dense.items()
    }
    if set(vectors) == {""}:
        vectors = vectors[""]
    sparse = {
        name: {"modifier": (p or {}).get("modifier") or "none"}
        for name, p in (config.get("sparse_vectors") or {}).items()
    }
    return {
        "vectors": vectors,
        "shard_number": 1,
        "replication_factor": 1,
        "write_consistency_factor": 1,
        "on_disk_payload": True,
        "sparse_vectors": sparse or None,
    }


def index_schema(schema: Any) -> Any:
    """A ``field_schema`` (``"keyword"`` or ``{"type": "keyword", …}``) to an edge index argument."""
    if isinstance(schema, str):
        kind, params = schema, {}
    elif isinstance(schema, Mapping):
        kind, params = str(schema.get("type")), dict(schema)
    else:
        raise WrongInput("field_schema is required")
    if kind not in SCHEMA_TYPES:
        raise WrongInput(f"unknown payload schema {kind!r}")
    if kind == "keyword" and (params.get("is_tenant") or params.get("on_disk")):
        return qe.KeywordIndexParams(is_tenant=params.get("is_tenant"), on_disk=params.get("on_disk"))
    return SCHEMA_TYPES[kind]


def payload_schema(info: qe.ShardInfo) -> dict[str, Any]:
    """``payload_schema`` of ``CollectionInfo``."""
    out: dict[str, Any] = {}
    for name, index in info.payload_schema.items():
        kind = SCHEMA_NAMES.get(index.data_type, "keyword")
        entry: dict[str, Any] = {"data_type": kind, "points": int(index.points)}
        tenant = getattr(index.params, "is_tenant", None)
        if kind == "keyword" and tenant:
            entry["params"] = {"type": "keyword", "is_tenant": True}
        out[name] = entry
    return out


# -- points -------------------------------------------------------------------------------


def point_id(raw: Any) -> int | str:
    """A point id: an unsigned integer or a UUID (normalised to its canonical text)."""
    if isinstance(raw, bool):
        raise WrongInput(f"bad point id {raw!r}")
    if isinstance(raw, int) and raw >= 0:
        return raw
    if isinstance(raw, str):
        try:
            return str(uuid.UUID(raw))
        except ValueError:
            pass
    raise WrongInput(f"Unable to parse point id {raw!r}: expected an unsigned integer or a UUID")


def _named(value: Any) -> Any:
    if isinstance(value, Mapping):
        if "indices" in value and "values" in value:
            return qe.SparseVector([int(i) for i in value["indices"]], [float(v) for v in value["values"]])
        raise WrongInput("inference objects (text, image, document) are not supported")
    if isinstance(value, list):
        return value
    raise WrongInput(f"bad vector {value!r}")


def vector(raw: Any) -> Any:
    """``VectorStruct``: a plain list (the unnamed vector) or ``{name: dense | sparse}``."""
    if isinstance(raw, list):
        return {"": raw}
    if isinstance(raw, Mapping):
        return {name: _named(v) for name, v in raw.items()}
    raise WrongInput("a point needs a vector")


def points(body: Mapping[str, Any]) -> list[qe.Point]:
    """The points of a ``PointsList`` or ``PointsBatch`` upsert body."""
    if "points" in body:
        return [
            qe.Point(point_id(p["id"]), vector(p.get("vector", {})), p.get("payload")) for p in body["points"]
        ]
    batch = body.get("batch")
    if not isinstance(batch, Mapping):
        raise WrongInput("upsert needs points or batch")
    ids = [point_id(i) for i in batch["ids"]]
    raw = batch.get("vectors")
    per_point: list[Any]
    if isinstance(raw, list):
        per_point = [{"": v} for v in raw]
    elif isinstance(raw, Mapping):
        per_point = [{name: _named(vs[i]) for name, vs in raw.items()} for i in range(len(ids))]
    else:
        per_point = [{} for _ in ids]
    payloads = batch.get("payloads") or [None] * len(ids)
    return [qe.Point(i, v, p) for i, v, p in zip(ids, per_point, payloads, strict=True)]


def point_vectors(body: Mapping[str, Any]) -> list[qe.PointVectors]:
    """The items of an ``UpdateVectors`` body."""
    return [qe.PointVectors(point_id(p["id"]), vector(p["vector"])) for p in body.get("points", [])]


def out_id(raw: Any) -> int | str:
    """An edge id as JSON."""
    return raw if isinstance(raw, int) else str(raw)


def out_vector(raw: Any) -> Any:
    """An edge vector as ``VectorStructOutput``."""
    if not isinstance(raw, Mapping):
        return raw
    named = {
        name: {"indices": list(v.indices), "values": list(v.values)} if isinstance(v, qe.SparseVector) else v
        for name, v in raw.items()
    }
    return named[""] if set(named) == {""} else named


def record(rec: qe.Record | qe.ScoredPoint, with_payload: Any, with_vector: Any) -> dict[str, Any]:
    """A ``Record`` (or, for a scored point, a ``ScoredPoint``) as JSON."""
    out: dict[str, Any] = {
        "id": out_id(rec.id),
        "payload": select_payload(rec.payload, with_payload),
        "vector": out_vector(rec.vector) if with_vector else None,
        "shard_key": None,
        "order_value": rec.order_value,
    }
    if isinstance(rec, qe.ScoredPoint):
        out["version"] = int(rec.version)
        out["score"] = float(rec.score)
    return out


def select_payload(payload: Any, selector: Any) -> Any:
    """Apply ``with_payload`` (bool, list of keys, ``{"include"|"exclude": [...]}``)."""
    if not selector or payload is None:
        return None
    if selector is True:
        return payload
    if isinstance(selector, list):
        return {k: v for k, v in payload.items() if k in selector}
    if isinstance(selector, Mapping) and "include" in selector:
        return {k: v for k, v in payload.items() if k in selector["include"]}
    if isinstance(selector, Mapping) and "exclude" in selector:
        return {k: v for k, v in payload.items() if k not in selector["exclude"]}
    return payload


def with_vector(selector: Any) -> Any:
    """``with_vector`` for edge: a bool or a list of names."""
    return selector if isinstance(selector, list) else bool(selector)


# -- filters ------------------------------------------------------------------------------


def _as_list(raw: Any) -> list[Any]:
    if raw is None:
        return []
    return list(raw) if isinstance(raw, list) else [raw]


def edge_filter(raw: Any) -> qe.Filter | None:
    """A ``Filter`` body (``must``/``should``/``must_not``/``min_should``) to edge, None when absent."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise WrongInput("a filter is an object")
    min_should = raw.get("min_should")
    return qe.Filter(
        must=[condition(c) for c in _as_list(raw.get("must"))] or None,
        should=[condition(c) for c in _as_list(raw.get("should"))] or None,
        must_not=[condition(c) for c in _as_list(raw.get("must_not"))] or None,
        min_should=qe.MinShould(
            [condition(c) for c in min_should["conditions"]], int(min_should["min_count"])
        )
        if min_should
        else None,
    )


def condition(raw: Mapping[str, Any]) -> Any:
    """One filter condition: field, has_id, is_empty, is_null, has_vector, nested, or a nested filter."""
    if "key" in raw:
        return _field(raw)
    if "has_id" in raw:
        return qe.HasIdCondition({point_id(i) for i in raw["has_id"]})
    if "is_empty" in raw:
        return qe.IsEmptyCondition(raw["is_empty"]["key"])
    if "is_null" in raw:
        return qe.IsNullCondition(raw["is_null"]["key"])
    if "has_vector" in raw:
        return qe.HasVectorCondition(raw["has_vector"])
    if "nested" in raw:
        filter = edge_filter(raw["nested"]["filter"])
        if filter is None:
            raise WrongInput("nested condition needs a filter")
        return qe.NestedCondition(raw["nested"]["key"], filter)
    if {"must", "should", "must_not", "min_should"} & set(raw):
        return edge_filter(raw)
    raise WrongInput(f"unsupported condition {dict(raw)!r}")


def _field(raw: Mapping[str, Any]) -> qe.FieldCondition:
    match = raw.get("match")
    rng = raw.get("range")
    count = raw.get("values_count")
    return qe.FieldCondition(
        raw["key"],
        match=_match(match) if match is not None else None,
        range=_range(rng) if rng is not None else None,
        values_count=qe.ValuesCount(**{k: v for k, v in count.items() if v is not None}) if count else None,
        is_empty=raw.get("is_empty"),
        is_null=raw.get("is_null"),
    )


def _match(raw: Mapping[str, Any]) -> Any:
    if "value" in raw:
        return qe.MatchValue(raw["value"])
    if "any" in raw:
        return qe.MatchAny(raw["any"])
    if "except" in raw:
        return qe.MatchExcept(raw["except"])
    if "text" in raw:
        return qe.MatchText(raw["text"])
    raise WrongInput(f"unsupported match {dict(raw)!r}")


def _range(raw: Mapping[str, Any]) -> Any:
    bounds = {k: raw[k] for k in ("gt", "gte", "lt", "lte") if raw.get(k) is not None}
    if any(isinstance(v, str) for v in bounds.values()):
        return qe.RangeDateTime(**{k: str(v) for k, v in bounds.items()})
    return qe.RangeFloat(**{k: float(v) for k, v in bounds.items()})


# -- queries ------------------------------------------------------------------------------


def query(raw: Any, using: str | None) -> Any:
    """A ``Query``: a vector (plain or ``{"nearest": …}``), ``{"fusion": …}`` or ``{"rrf": {"k": …}}``."""
    if raw is None:
        return None
    if isinstance(raw, Mapping) and "nearest" in raw:
        raw = raw["nearest"]
    if isinstance(raw, list) or (isinstance(raw, Mapping) and "indices" in raw):
        return qe.Query.Nearest(_named(raw), using or "")
    if isinstance(raw, Mapping) and "fusion" in raw:
        fusion: Any = qe.Fusion
        return fusion.Dbsf() if raw["fusion"] == "dbsf" else fusion.Rrf(k=RRF_DEFAULT_K)
    if isinstance(raw, Mapping) and "rrf" in raw:
        params = raw["rrf"] or {}
        fusion_rrf: Any = qe.Fusion.Rrf
        return fusion_rrf(k=int(params.get("k") or RRF_DEFAULT_K), weights=params.get("weights"))
    raise WrongInput(f"unsupported query {raw!r}: only nearest vectors and fusion are served")


def prefetch(raw: Mapping[str, Any]) -> qe.Prefetch:
    """A ``Prefetch`` with its nested stages."""
    return qe.Prefetch(
        limit=int(raw.get("limit") or 10),
        query=query(raw.get("query"), raw.get("using")),
        prefetches=[prefetch(p) for p in _as_list(raw.get("prefetch"))] or None,
        filter=edge_filter(raw.get("filter")),
        score_threshold=raw.get("score_threshold"),
    )


def query_request(body: Mapping[str, Any]) -> qe.QueryRequest:
    """A ``QueryRequest`` body to edge (payload and vectors are always read, then selected)."""
    return qe.QueryRequest(
        limit=int(body.get("limit") or 10),
        offset=body.get("offset"),
        query=query(body.get("query"), body.get("using")),
        prefetches=[prefetch(p) for p in _as_list(body.get("prefetch"))] or None,
        filter=edge_filter(body.get("filter")),
        score_threshold=body.get("score_threshold"),
        with_payload=True,
        with_vector=with_vector(body.get("with_vector", False)),
    )

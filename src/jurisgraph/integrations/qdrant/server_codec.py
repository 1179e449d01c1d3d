"""Conversions between the vector port and qdrant-client models; retries and error mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import httpx
from qdrant_client import models as qm
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

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
from jurisgraph.errors import (
    DimensionMismatch,
    InvalidInput,
    JurisgraphError,
    NotFound,
    RetryableUpstreamError,
    ServiceUnavailable,
    UpstreamError,
)
from jurisgraph.integrations.qdrant.points import StoredPoint, require_filter, split_payload
from jurisgraph.kit.retry import RetryPolicy, is_transient_status, retry_after_of, retry_after_seconds

T = TypeVar("T")

RETRY_GRPC = frozenset({"UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "ABORTED"})


def vectors_config(spec: CollectionSpec) -> dict[str, qm.VectorParams]:
    """Named dense vector, cosine."""
    return {DENSE: qm.VectorParams(size=spec.dim, distance=qm.Distance.COSINE)}


def sparse_config() -> dict[str, qm.SparseVectorParams]:
    """Named sparse vector with the IDF modifier."""
    return {SPARSE: qm.SparseVectorParams(modifier=qm.Modifier.IDF)}


def payload_indexes() -> list[tuple[str, qm.PayloadSchemaType | qm.KeywordIndexParams]]:
    """(field, schema) of every filter field; ``workspace_id`` is the tenant key."""
    keyword = qm.PayloadSchemaType.KEYWORD
    indexes: list[tuple[str, qm.PayloadSchemaType | qm.KeywordIndexParams]] = [
        (name, qm.KeywordIndexParams(type=qm.KeywordIndexType.KEYWORD, is_tenant=True))
        if name == "workspace_id"
        else (name, keyword)
        for name in KEYWORD_FIELDS
    ]
    indexes += [(name, qm.PayloadSchemaType.DATETIME) for name in DATE_FIELDS]
    return indexes


def delete_alias(alias: str) -> qm.DeleteAliasOperation:
    """Alias operation: delete ``alias``."""
    return qm.DeleteAliasOperation(delete_alias=qm.DeleteAlias(alias_name=alias))


def create_alias(alias: str, collection: str) -> qm.CreateAliasOperation:
    """Alias operation: create ``alias`` for ``collection``."""
    return qm.CreateAliasOperation(create_alias=qm.CreateAlias(collection_name=collection, alias_name=alias))


def client_sparse(vector: SparseVector) -> qm.SparseVector:
    """Port sparse vector to a client model."""
    return qm.SparseVector(indices=list(vector.indices), values=list(vector.values))


def client_point(point: StoredPoint) -> qm.PointStruct:
    """Validated point to a client point with named vectors."""
    vectors: dict[str, Any] = {}
    if point.dense is not None:
        vectors[DENSE] = point.dense
    if point.sparse is not None:
        vectors[SPARSE] = client_sparse(point.sparse)
    return qm.PointStruct(id=point.uuid, vector=vectors, payload=point.payload)


def _condition(cond: FieldMatch | FieldIn | FieldRange) -> qm.FieldCondition:
    if isinstance(cond, FieldMatch):
        return qm.FieldCondition(key=cond.field, match=qm.MatchValue(value=cond.value))
    if isinstance(cond, FieldIn):
        values: Any = list(cond.values)
        return qm.FieldCondition(key=cond.field, match=qm.MatchAny(any=values))
    if cond.is_temporal:
        dates: Any = cond.iso_bounds()
        return qm.FieldCondition(key=cond.field, range=qm.DatetimeRange(**dates))
    return qm.FieldCondition(key=cond.field, range=qm.Range(**cond.number_bounds()))


def client_filter(filter: Filter | None) -> qm.Filter | None:
    """Port filter to a client filter (``None`` when empty)."""
    return client_filter_required(filter) if filter else None


def client_filter_required(filter: Filter) -> qm.Filter:
    """Port filter to a client filter; an empty one (select all) is refused."""
    require_filter(filter)
    conditions: list[Any] = [_condition(c) for c in filter.conditions]
    return qm.Filter(must=conditions)


def to_vector_point(record: qm.Record, with_vectors: bool = True) -> VectorPoint:
    """Client record to a port point (our id restored from the payload)."""
    our_id, payload = split_payload(record.payload, record.id)
    dense: list[float] | None = None
    sparse: SparseVector | None = None
    if with_vectors and isinstance(record.vector, dict):
        raw_dense = record.vector.get(DENSE)
        raw_sparse = record.vector.get(SPARSE)
        if isinstance(raw_dense, list):
            dense = [float(cast(float, x)) for x in raw_dense]
        if isinstance(raw_sparse, qm.SparseVector):
            sparse = SparseVector.of(raw_sparse.indices, raw_sparse.values)
    return VectorPoint(id=our_id, dense=dense, sparse=sparse, payload=payload)


def to_hit(point: qm.ScoredPoint) -> SearchHit:
    """Client scored point to a port hit."""
    our_id, payload = split_payload(point.payload, point.id)
    return SearchHit(id=our_id, score=float(point.score), payload=payload)


def is_transient(exc: BaseException) -> bool:
    """True for failures worth retrying: transport errors, timeouts, 408/425/429/5xx, gRPC UNAVAILABLE."""
    if isinstance(exc, ResponseHandlingException | httpx.TransportError | ConnectionError | TimeoutError):
        return True
    if isinstance(exc, UnexpectedResponse):
        return exc.status_code is not None and is_transient_status(exc.status_code)
    code = getattr(exc, "code", None)  # grpc.RpcError, without importing grpc
    if callable(code):
        return getattr(code(), "name", None) in RETRY_GRPC
    return False


def _message(exc: BaseException) -> str:
    if isinstance(exc, UnexpectedResponse):
        return f"HTTP {exc.status_code}: {exc.content.decode('utf-8', 'replace')[:500]}"
    if isinstance(exc, ResponseHandlingException):
        return f"{type(exc.source).__name__}: {exc.source}"
    return f"{type(exc).__name__}: {exc}"


def translate(exc: BaseException, attempts: int) -> JurisgraphError:
    """Map a client failure (after retries) to the project's errors."""
    message = _message(exc)
    lowered = message.lower()
    if is_transient(exc):
        return RetryableUpstreamError(f"vector server failed after {attempts} attempt(s): {message}")
    if "dimension error" in lowered:
        return DimensionMismatch(message)
    if "not found" in lowered or "no point with id" in lowered:
        return NotFound(message)
    if "already accessed by another instance" in lowered:
        return ServiceUnavailable(f"local vector folder is in use by another process: {message}")
    if isinstance(exc, UnexpectedResponse):
        if exc.status_code == 404:
            return NotFound(message)
        if exc.status_code in (400, 422):
            return InvalidInput(message)
        return UpstreamError(f"vector server error: {message}")
    if isinstance(exc, KeyError):  # local mode: a point id that does not exist
        return NotFound(f"no such point: {message}")
    if isinstance(exc, ValueError):
        return InvalidInput(message)
    return VectorStoreError(f"vector store failed: {message}")


def retry_after(exc: BaseException) -> float | None:
    """The server's ``Retry-After`` hint of a failed HTTP call, in seconds."""
    if isinstance(exc, UnexpectedResponse):
        return retry_after_seconds(exc.headers)
    return retry_after_of(exc)


def call(policy: RetryPolicy, operation: str, fn: Callable[[], T]) -> T:
    """Run ``fn`` under ``policy`` (transient failures retried), raising project errors."""
    try:
        return policy.call(
            fn, transient=is_transient, what=operation, log_event="vector_server_retry", hint=retry_after
        )
    except JurisgraphError:
        raise
    except Exception as exc:
        raise translate(exc, policy.attempts) from exc

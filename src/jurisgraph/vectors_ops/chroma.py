"""Read a Chroma store (``chromadb.PersistentClient``) and migrate it into our collection layout.

Chroma is an optional dependency (the ``chroma`` extra). Collections are always opened with
``embedding_function=None``: the default one downloads a model, which fails offline and is
never needed to read stored vectors. Records are paged with ``get(limit, offset)``.

Mapping: Chroma id → our id; metadata → payload; document → payload ``text`` (a metadata
field already named ``text`` is kept as ``chroma_text``); ``chunk_id`` defaults to the id.
Sparse vectors are computed from the documents with our sparse encoder.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog

from jurisgraph.engine.vectors import (
    CHUNK_KIND,
    ID_FIELD,
    CollectionSpec,
    SparseEncoder,
    VectorIndex,
    VectorPoint,
)
from jurisgraph.errors import ConfigError, DimensionMismatch, InvalidInput, NotFound
from jurisgraph.kit.retry import RetryPolicy
from jurisgraph.pipeline.context import Progress, no_progress
from jurisgraph.vectors_ops.records import spec_from_name
from jurisgraph.vectors_ops.retry import UPSERT_RETRY, upsert_with_retries

log = structlog.get_logger(__name__)

PAGE = 256
INCLUDE = ["embeddings", "documents", "metadatas"]


@dataclass(frozen=True, slots=True)
class MigrationReport:
    """What a Chroma migration wrote."""

    source: str
    collection: str
    points: int
    dim: int


def open_store(path: Path) -> Any:
    """A ``chromadb.PersistentClient`` on an existing folder (telemetry off)."""
    try:
        chromadb = importlib.import_module("chromadb")
        chroma_config = importlib.import_module("chromadb.config")
    except ImportError as exc:
        raise ConfigError(
            "reading a Chroma store needs the optional package 'chromadb' (pip install 'jurisgraph[chroma]')"
        ) from exc
    if not path.is_dir():
        raise NotFound(f"no Chroma store at {path}")
    settings = chroma_config.Settings(anonymized_telemetry=False, allow_reset=False)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def open_collection(client: Any, name: str | None) -> Any:
    """The Chroma collection ``name``, or the only one in the store when ``name`` is None."""
    names = sorted(c if isinstance(c, str) else c.name for c in client.list_collections())
    if name is None:
        if len(names) != 1:
            raise InvalidInput(f"the Chroma store holds {len(names)} collections {names}; name one")
        name = names[0]
    if name not in names:
        raise NotFound(f"no Chroma collection {name!r}; the store holds {names}")
    return client.get_collection(name, embedding_function=None)


def pages(collection: Any, page: int = PAGE) -> Iterator[dict[str, Any]]:
    """``collection.get`` results, ``page`` records at a time, with embeddings, documents and metadatas."""
    offset = 0
    while True:
        result = collection.get(include=INCLUDE, limit=page, offset=offset)
        ids = list(result.get("ids") or [])
        if not ids:
            return
        yield result
        offset += len(ids)
        if len(ids) < page:
            return


def chroma_payload(point_id: str, metadata: Mapping[str, Any] | None, document: str | None) -> dict[str, Any]:
    """Our payload for a Chroma record (see the module docstring)."""
    payload: dict[str, Any] = {}
    for key, value in (metadata or {}).items():
        clash = key == ID_FIELD or (key == "text" and document is not None)
        payload[f"chroma_{key}" if clash else key] = value
    if document is not None:
        payload["text"] = document
    payload.setdefault("chunk_id", point_id)
    return payload


def page_points(result: Mapping[str, Any]) -> list[VectorPoint]:
    """Dense-only points of one page (ids, embeddings, metadatas and documents in step)."""
    ids: Sequence[str] = result["ids"]
    embeddings = result.get("embeddings")
    if embeddings is None or len(embeddings) != len(ids):
        raise InvalidInput("the Chroma page has no embeddings for its ids")
    metadatas = result.get("metadatas") or [None] * len(ids)
    documents = result.get("documents") or [None] * len(ids)
    return [
        VectorPoint(id=str(i), dense=list(map(float, e)), payload=chroma_payload(str(i), m, d))
        for i, e, m, d in zip(ids, embeddings, metadatas, documents, strict=True)
    ]


def read_points(path: Path, name: str | None = None, page: int = PAGE) -> Iterator[VectorPoint]:
    """Every record of a Chroma collection as a dense-only point (for verification)."""
    collection = open_collection(open_store(path), name)
    for result in pages(collection, page):
        yield from page_points(result)


def migrate(
    index: VectorIndex,
    encoder: SparseEncoder,
    path: Path,
    *,
    source: str | None = None,
    to: str | None = None,
    kind: str = CHUNK_KIND,
    workspace_id: int | None = None,
    batch: int = PAGE,
    retry: RetryPolicy = UPSERT_RETRY,
    progress: Progress = no_progress,
) -> MigrationReport:
    """Copy Chroma collection ``source`` into ``to`` (default ``<kind>__chroma-<source>__<dim>``).

    The dimension comes from the data; sparse vectors are encoded from the documents;
    ``workspace_id`` is stamped on points whose metadata has none.
    """
    collection = open_collection(open_store(path), source)
    total = int(collection.count())
    spec: CollectionSpec | None = None
    written = 0
    for result in pages(collection, batch):
        points = page_points(result)
        if spec is None:
            spec = _target_spec(to, kind, collection.name, len(points[0].dense or []))
            index.ensure_collection(spec)
        texts = [str(p.payload.get("text") or "") for p in points]
        sparse = encoder.encode_documents(texts)
        ready = [
            VectorPoint(id=p.id, dense=p.dense, sparse=s, payload=_stamp(p.payload, workspace_id))
            for p, s in zip(points, sparse, strict=True)
        ]
        written += upsert_with_retries(index, spec, ready, retry)
        progress("migrate", written, total, spec.name)
    if spec is None:
        raise InvalidInput(f"the Chroma collection {collection.name!r} is empty")
    log.info("chroma_migrated", source=collection.name, collection=spec.name, points=written)
    return MigrationReport(collection.name, spec.name, written, spec.dim)


def _stamp(payload: Mapping[str, Any], workspace_id: int | None) -> dict[str, Any]:
    data = dict(payload)
    if workspace_id is not None:
        data.setdefault("workspace_id", workspace_id)
    return data


def _target_spec(to: str | None, kind: str, source: str, dim: int) -> CollectionSpec:
    if dim <= 0:
        raise InvalidInput("the Chroma records have empty embeddings")
    if to is None:
        return CollectionSpec(kind=kind, model=f"chroma-{source}", dim=dim)
    spec = spec_from_name(to)
    if spec.dim != dim:
        raise DimensionMismatch(f"the Chroma vectors have {dim} dimensions but {spec.name} takes {spec.dim}")
    return spec

"""What an ingestion leaves behind, as comparable figures: row counts and content checksums of
the corpus tables, and the points of every vector collection.

Row ids, foreign keys to auto-numbered rows and timestamps depend on the order in which
processes wrote rows, not on what they wrote, so the checksums leave them out; everything
else (keys, names, texts, counts, weights, community assignments, payloads, vectors) is in.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Integer, select
from sqlalchemy.engine import Engine

from jurisgraph.models import Base
from jurisgraph.runtime import Container

#: the tables a run of the pipeline writes (the graph tables among them)
CORPUS_TABLES = (
    "datasets",
    "resources",
    "documents",
    "chunks",
    "mentions",
    "graph_nodes",
    "graph_edges",
    "communities",
    "entity_summaries",
)
#: volatile columns of resources (where and when a file was stored)
VOLATILE = {"storage_path", "processed_at", "downloaded_at", "synced_at", "error_message"}


def _kept(table: Any) -> list[Any]:
    kept = []
    for column in table.columns:
        if column.name.endswith("_at") or column.name in VOLATILE:
            continue
        if column.primary_key and isinstance(column.type, Integer):
            continue
        if column.foreign_keys and isinstance(column.type, Integer):
            continue
        kept.append(column)
    return kept


def table_rows(engine: Engine, name: str) -> list[str]:
    """The rows of table ``name`` as sorted JSON lines, without ids, auto-numbered references and times."""
    table = Base.metadata.tables[name]
    with engine.connect() as connection:
        rows = connection.execute(select(*_kept(table))).all()
    return sorted(json.dumps(list(row), default=str, sort_keys=True) for row in rows)


def table_snapshot(engine: Engine) -> dict[str, tuple[int, str]]:
    """table → (rows, sha256 of its sorted rows without ids, auto-numbered references and times)."""
    found: dict[str, tuple[int, str]] = {}
    for name in CORPUS_TABLES:
        lines = table_rows(engine, name)
        found[name] = (len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest())
    return found


def _point(point: Any) -> str:
    dense = [round(float(x), 5) for x in point.dense] if point.dense is not None else None
    sparse = (
        sorted(zip(point.sparse.indices, [round(float(v), 5) for v in point.sparse.values], strict=True))
        if point.sparse is not None
        else None
    )
    payload = {k: v for k, v in dict(point.payload).items() if not k.endswith("_id") or isinstance(v, str)}
    return json.dumps([point.id, dense, sparse, payload], default=str, sort_keys=True)


def vector_snapshot(container: Container) -> dict[str, tuple[int, str]]:
    """collection → (points, sha256 of its sorted points: id, vectors, payload without row ids)."""
    index = container.vector_index()
    found: dict[str, tuple[int, str]] = {}
    for name in sorted(index.list_collections()):
        lines = sorted(_point(p) for p in index.scroll(name))
        found[name] = (len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest())
    return found

"""Turning one document's extraction into ``mentions`` rows (provenance of every node and edge).

Each mention row carries the contribution it makes to its node or edge (name, type,
description, attributes; or endpoints, type, weight), so the graph can be recomputed from
mentions alone and deleting a document removes exactly what only it contributed.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

import orjson

from jurisgraph.engine.types import Chunk, Extraction, Mention, Relation, relation_key

#: ``(target_kind, target_id)`` pairs of nodes and edges (as mention rows name them), e.g. those
#: whose aggregate must be recomputed.
Targets = set[tuple[str, str]]


def edge_id(key: str) -> str:
    """The stored id of an edge: sha1 of its ``source|TYPE|target`` key."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def chunk_id(workspace_id: int, document_key: str, chunk: Chunk) -> str:
    """Deterministic chunk id (40 hex chars) from workspace, document, span and text."""
    digest = hashlib.sha1(f"{workspace_id}|{document_key}|{chunk.start}|{chunk.end}|".encode())
    digest.update(chunk.text.encode("utf-8"))
    return digest.hexdigest()


#: Columns of the rows :func:`mention_rows` returns, in order; ``contribution`` is JSON text
#: (as a JSON column stores it). The writer adds ``workspace_id`` and ``document_id``.
MENTION_FIELDS = (
    "chunk_id",
    "target_kind",
    "target_id",
    "start",
    "end",
    "field",
    "count",
    "extractor",
    "contribution",
)


def mention_rows(
    extraction: Extraction,
    *,
    chunk_ids: Sequence[str],
    chunks: Sequence[Chunk],
    extractor: str = "rules",
) -> tuple[list[tuple[Any, ...]], int]:
    """Rows for the ``mentions`` table (see :data:`MENTION_FIELDS`), one per (target, chunk,
    field), with counts.

    Facts from structured fields, and facts without any located mention, are attributed to
    the document's first chunk. Relations whose endpoints are not entities of the same
    extraction are dropped; the second value returned is how many.
    """
    entities = {e.key: e for e in extraction.entities}
    relations: dict[str, Relation] = {}
    dropped = 0
    for rel in extraction.relations:
        if rel.source not in entities or rel.target not in entities or rel.source == rel.target:
            dropped += 1
            continue
        key = relation_key(rel.source, rel.type, rel.target)
        previous = relations.get(key)
        if previous is None or rel.weight > previous.weight:
            relations[key] = rel
    contributions: dict[str, tuple[str, str, str]] = {}
    for key, entity in entities.items():
        node = {
            "n": entity.name,
            "t": str(entity.type),
            "d": entity.description,
            "a": dict(entity.attributes),
        }
        contributions[key] = ("node", key, orjson.dumps(node).decode())
    for key, rel in relations.items():
        edge = {
            "s": rel.source,
            "o": rel.target,
            "t": str(rel.type),
            "w": rel.weight,
            "d": rel.description,
        }
        contributions[key] = ("edge", edge_id(key), orjson.dumps(edge).decode())
    starts = [c.start for c in chunks]
    grouped: dict[tuple[str, str | None, str | None], list[Any]] = {}

    def add(target: str, mention: Mention | None) -> None:
        where = _chunk_for(mention, starts, chunks, chunk_ids)
        field = mention.field if mention is not None else None
        slot = (target, where, field)
        row = grouped.get(slot)
        if row is None:
            kind, stored_id, contribution = contributions[target]
            start = mention.start if mention is not None else None
            end = mention.end if mention is not None else None
            grouped[slot] = [where, kind, stored_id, start, end, field, 1, extractor, contribution]
        else:
            row[6] += 1

    seen: set[str] = set()
    for mention in extraction.mentions:
        if mention.target in contributions:
            add(mention.target, mention)
            seen.add(mention.target)
    for target in contributions:
        if target not in seen:
            add(target, None)
    return [tuple(row) for row in grouped.values()], dropped


def _chunk_for(
    mention: Mention | None, starts: Sequence[int], chunks: Sequence[Chunk], chunk_ids: Sequence[str]
) -> str | None:
    if not chunk_ids:
        return None
    if mention is None or mention.start is None:
        return chunk_ids[0]
    index = max(bisect_right(starts, mention.start) - 1, 0)
    # with overlapping chunks, prefer the earliest chunk that still contains the mention
    while index > 0 and chunks[index - 1].end > mention.start:
        index -= 1
    return chunk_ids[index]

"""graph: recompute nodes and edges from their mentions.

An aggregate depends only on the set of its mentions (never on insertion order or row ids):
name and type are the most frequent contribution (ties by value), descriptions are the
distinct ones ordered by frequency, ``mention_count`` is the sum of counts, an edge's weight
is the noisy-or of its contributions' weights. Targets without mentions left are deleted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from jurisgraph.db import Session
from jurisgraph.models import utcnow
from jurisgraph.pipeline.provenance import Targets
from jurisgraph.pipeline.repository import catalogue, in_batches
from jurisgraph.pipeline.repository import graph as repository

MAX_DESCRIPTION = 4000


#: contributions of targets new in a run, as the store collected them: JSON text → summed count
Known = Mapping[tuple[str, str], Mapping[str, int]]


def rebuild(
    session: Session, workspace_id: int, targets: Targets, known: Known | None = None
) -> tuple[int, int]:
    """Recompute the given targets; returns (nodes written, edges written).

    ``known`` holds, for targets whose every mention was written by the current run and that
    have no node or edge row yet, those mentions' contributions: they are built from it
    instead of being read back (the result is the same; see :func:`new_targets`).
    """
    given = known or {}
    nodes = sorted(t for kind, t in targets if kind == "node")
    edges = sorted(t for kind, t in targets if kind == "edge")
    return (
        _rebuild_kind(session, workspace_id, "node", nodes, given),
        _rebuild_kind(session, workspace_id, "edge", edges, given),
    )


def new_targets(session: Session, workspace_id: int, targets: Targets) -> Targets:
    """Targets without a node or edge row: nothing built them before, so all their mentions are new."""
    missing: Targets = set()
    for kind in ("node", "edge"):
        ids = sorted(t for k, t in targets if k == kind)
        present = repository.present_targets(session, workspace_id, kind, ids)
        missing.update((kind, t) for t in ids if t not in present)
    return missing


def pending_targets(session: Session, workspace_id: int) -> Targets:
    """Targets a crashed run may have left out of step with their mentions.

    Those of documents whose resource is still ``extracting_entities`` (mentions stored, graph
    not rebuilt yet), and nodes or edges no mention supports any more.
    """
    found = repository.targets_of_resources_in_status(session, workspace_id, "extracting_entities")
    for kind in ("node", "edge"):
        found.update((kind, target) for target in repository.unmentioned_targets(session, workspace_id, kind))
    return found


def mark_built(session: Session) -> None:
    """Resources whose mentions are now reflected in the graph move to ``entities_extracted``.

    Resources belong to the public catalogue (one workspace), so this is not per workspace.
    """
    catalogue.move_status(session, "extracting_entities", "entities_extracted")


def all_targets(session: Session, workspace_id: int) -> Targets:
    """Every target with at least one mention, plus every stored node and edge (for a full rebuild)."""
    found = repository.mentioned_targets(session, workspace_id)
    for kind in ("node", "edge"):
        found.update((kind, target) for target in repository.stored_targets(session, workspace_id, kind))
    return found


def _rebuild_kind(session: Session, workspace_id: int, kind: str, ids: Sequence[str], known: Known) -> int:
    written = 0
    for part in in_batches(ids):
        grouped: dict[str, list[tuple[int, dict[str, Any]]]] = {
            target: [(count, orjson.loads(text)) for text, count in known[(kind, target)].items()]
            for target in part
            if (kind, target) in known
        }
        stored = [target for target in part if target not in grouped]
        if stored:
            for target, count, contribution in repository.mention_contributions(
                session, workspace_id, kind, stored
            ):
                grouped.setdefault(target, []).append((count, contribution or {}))
            repository.delete_targets(session, workspace_id, kind, stored)
        now = utcnow()
        build, insert = (
            (_node_row, repository.insert_nodes) if kind == "node" else (_edge_row, repository.insert_edges)
        )
        values = [build(workspace_id, target, grouped[target], now) for target in part if target in grouped]
        insert(session, values)
        written += len(values)
    return written


def _mode(values: Iterable[tuple[int, str]]) -> str:
    """The value with the largest summed count (ties: the smallest value); "" when none."""
    counter: Counter[str] = Counter()
    for count, value in values:
        if value:
            counter[value] += count
    if not counter:
        return ""
    return min(counter.items(), key=lambda item: (-item[1], item[0]))[0]


def _descriptions(contributions: Sequence[tuple[int, dict[str, Any]]]) -> str | None:
    counter: Counter[str] = Counter()
    for count, c in contributions:
        text = (c.get("d") or "").strip()
        if text:
            counter[text] += count
    ordered = [text for text, _ in sorted(counter.items(), key=lambda item: (-item[1], item[0]))]
    joined = "\n".join(ordered)
    return joined[:MAX_DESCRIPTION] or None


def _attributes(contributions: Sequence[tuple[int, dict[str, Any]]]) -> dict[str, Any] | None:
    merged: dict[str, Any] = {}
    present = [c["a"] for _, c in contributions if c.get("a")]
    if len(present) > 1:  # order-independent merge: first by canonical JSON wins
        present.sort(key=lambda a: json.dumps(a, sort_keys=True, default=str))
    for attributes in present:
        for key, value in attributes.items():
            if value not in (None, "", [], {}, ()):
                merged.setdefault(key, value)
    return merged or None


def _node_row(
    workspace_id: int, entity_id: str, contributions: list[tuple[int, dict[str, Any]]], now: Any
) -> tuple[Any, ...]:
    """A ``graph_nodes`` row in :data:`~jurisgraph.pipeline.repository.graph.NODE_COLUMNS` order."""
    if len(contributions) == 1:  # most targets: the general rules below reduce to this
        count, only = contributions[0]
        description = (only.get("d") or "").strip()
        return (
            workspace_id,
            entity_id,
            (only.get("n") or "")[:512] or entity_id,
            only.get("t") or "",
            description[:MAX_DESCRIPTION] or None,
            "stj",
            count,
            _attributes(contributions),
            now,
            now,
        )
    return (
        workspace_id,
        entity_id,
        _mode((n, c.get("n") or "") for n, c in contributions)[:512] or entity_id,
        _mode((n, c.get("t") or "") for n, c in contributions),
        _descriptions(contributions),
        "stj",
        sum(n for n, _ in contributions),
        _attributes(contributions),
        now,
        now,
    )


def _edge_row(
    workspace_id: int, edge_id: str, contributions: list[tuple[int, dict[str, Any]]], now: Any
) -> tuple[Any, ...]:
    """A ``graph_edges`` row in :data:`~jurisgraph.pipeline.repository.graph.EDGE_COLUMNS` order."""
    first = contributions[0][1]  # endpoints and type are the edge's identity: equal in every contribution
    remaining = 1.0
    for count, c in contributions:
        weight = min(max(float(c.get("w") or 0.0), 0.0), 1.0)
        remaining *= (1.0 - weight) ** count
    return (
        workspace_id,
        edge_id,
        first.get("s", ""),
        first.get("o", ""),
        first.get("t", ""),
        _descriptions(contributions),
        round(1.0 - remaining, 6),
        sum(n for n, _ in contributions),
        now,
        now,
    )

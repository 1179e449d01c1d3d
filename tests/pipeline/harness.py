"""Containers on a chosen home and database, and read-only views of what the pipeline stored."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from jurisgraph import migrations
from jurisgraph.config import Settings, load_settings
from jurisgraph.db import session_scope
from jurisgraph.models import (
    Chunk,
    Community,
    Dataset,
    Document,
    ExtractionLog,
    GraphEdge,
    GraphNode,
    Mention,
    Resource,
)
from jurisgraph.runtime import Container

KEPT_VARIABLES = ("JURISGRAPH_TEST_", "JURISGRAPH_STJ_DATA")
SERVICE_VARIABLES = (
    "DATABASE_URL",
    "JWT_SECRET",
    "ADMIN_PASSWORD",
    "GEMINI_API_KEY",
    "QDRANT_URL",
    "REDIS_URL",
)
#: Statuses of a resource whose records went through extraction (the index stage moves it on).
PROCESSED = ("entities_extracted", "embedding", "embedded")
TABLES = {
    "documents": Document,
    "chunks": Chunk,
    "mentions": Mention,
    "graph_nodes": GraphNode,
    "graph_edges": GraphEdge,
    "communities": Community,
}


def make_settings(home: Path, database_url: str = "", **variables: str) -> Settings:
    """Settings read from a clean environment: ``home``, ``database_url``, no portal delay, ``variables``."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("JURISGRAPH_") and not name.startswith(KEPT_VARIABLES):
                patch.delenv(name)
        for name in SERVICE_VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("JURISGRAPH_HOME", str(home))
        patch.setenv("JURISGRAPH_PORTAL_REQUEST_INTERVAL_S", "0")
        if database_url:
            patch.setenv("DATABASE_URL", database_url)
        for name, value in variables.items():
            patch.setenv(name, value)
        return load_settings()


@contextmanager
def container_at(home: Path, database_url: str = "", **variables: str) -> Iterator[Container]:
    """A migrated container on ``home`` (SQLite there unless ``database_url``), closed on exit."""
    settings = make_settings(home, database_url, **variables)
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    try:
        yield container
    finally:
        container.close()


def table_counts(container: Container) -> dict[str, int]:
    """Rows in each table the pipeline fills."""
    with session_scope(container.sessions) as session:
        return {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in TABLES.items()
        }


@dataclass(frozen=True)
class GraphState:
    """The graph as comparable values: nodes, edges and communities by id."""

    nodes: dict[str, tuple[Any, ...]]
    edges: dict[str, tuple[Any, ...]]
    communities: dict[str, tuple[Any, ...]]


def graph_state(container: Container) -> GraphState:
    """Nodes (name, type, description, mention count, metadata), edges (endpoints, type, weight to
    6 places, mention count, description) and communities (level, parent, size)."""
    with session_scope(container.sessions) as session:
        nodes = {
            row[0]: tuple(row[1:])
            for row in session.execute(
                select(
                    GraphNode.entity_id,
                    GraphNode.name,
                    GraphNode.entity_type,
                    GraphNode.description,
                    GraphNode.mention_count,
                    GraphNode.metadata_,
                )
            )
        }
        edges = {
            row[0]: (row[1], row[2], row[3], round(row[4], 6), row[5], row[6])
            for row in session.execute(
                select(
                    GraphEdge.edge_id,
                    GraphEdge.source_entity_id,
                    GraphEdge.target_entity_id,
                    GraphEdge.relationship_type,
                    GraphEdge.weight,
                    GraphEdge.mention_count,
                    GraphEdge.description,
                )
            )
        }
        communities = {
            row[0]: tuple(row[1:])
            for row in session.execute(
                select(
                    Community.community_id,
                    Community.level,
                    Community.parent_community_id,
                    Community.entity_count,
                )
            )
        }
    return GraphState(nodes, edges, communities)


def differences(left: dict[str, tuple[Any, ...]], right: dict[str, tuple[Any, ...]]) -> list[str]:
    """A short description of how two id → values maps differ (empty when equal)."""
    found = [f"only left: {key} {left[key]}" for key in sorted(left.keys() - right.keys())]
    found += [f"only right: {key} {right[key]}" for key in sorted(right.keys() - left.keys())]
    found += [
        f"differs: {key}: {left[key]} != {right[key]}"
        for key in sorted(left.keys() & right.keys())
        if left[key] != right[key]
    ]
    return found[:20]


def integrity_problems(container: Container) -> list[str]:
    """Dangling provenance: mentions without their document or chunk, graph rows without mentions,
    edges whose endpoints are not nodes, chunks without their document."""
    with session_scope(container.sessions) as session:
        documents = set(session.scalars(select(Document.id)))
        chunks = set(session.scalars(select(Chunk.id)))
        mentioned: set[tuple[str, str]] = set()
        problems: list[str] = []
        for kind, target, document_id, chunk_id in session.execute(
            select(Mention.target_kind, Mention.target_id, Mention.document_id, Mention.chunk_id)
        ):
            mentioned.add((kind, target))
            if document_id not in documents:
                problems.append(f"mention of {target} points to missing document {document_id}")
            if chunk_id is not None and chunk_id not in chunks:
                problems.append(f"mention of {target} points to missing chunk {chunk_id}")
        nodes = set(session.scalars(select(GraphNode.entity_id)))
        problems += [f"node {n} has no mention" for n in sorted(nodes) if ("node", n) not in mentioned]
        for edge, source, target in session.execute(
            select(GraphEdge.edge_id, GraphEdge.source_entity_id, GraphEdge.target_entity_id)
        ):
            if ("edge", edge) not in mentioned:
                problems.append(f"edge {source} -> {target} has no mention")
            if source not in nodes or target not in nodes:
                problems.append(f"edge {source} -> {target} has an endpoint that is not a node")
        problems += [
            f"chunk of missing document {d}"
            for d in session.scalars(select(Chunk.document_id).distinct())
            if d not in documents
        ]
    return problems[:20]


def resource_row(container: Container, name: str, dataset_slug: str | None = None) -> Resource:
    """The one resource row with this file name (detached; its columns stay readable)."""
    query = select(Resource).join(Dataset, Dataset.id == Resource.dataset_id).where(Resource.name == name)
    if dataset_slug is not None:
        query = query.where(Dataset.slug == dataset_slug)
    with session_scope(container.sessions) as session:
        rows = list(session.scalars(query))
        assert len(rows) == 1, f"expected one resource named {name}, found {len(rows)}"
        session.expunge(rows[0])
        return rows[0]


def process_logs(container: Container, resource_id: str) -> list[ExtractionLog]:
    """The ``process_json`` log rows of a resource (detached), oldest first."""
    with session_scope(container.sessions) as session:
        rows = list(
            session.scalars(
                select(ExtractionLog)
                .where(ExtractionLog.action == "process_json", ExtractionLog.resource_id == resource_id)
                .order_by(ExtractionLog.id)
            )
        )
        for row in rows:
            session.expunge(row)
        return rows


def document_keys(container: Container, kind: str | None = None) -> set[str]:
    """Keys of the stored documents (of one kind when given)."""
    with session_scope(container.sessions) as session:
        query = select(Document.key)
        if kind is not None:
            query = query.where(Document.kind == kind)
        return set(session.scalars(query))

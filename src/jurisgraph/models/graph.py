"""The knowledge graph: nodes, edges, their provenance (mentions) and communities.

Nodes and edges are aggregates of mentions: every fact found in a chunk is a mention row
carrying its contribution, and the graph stage recomputes the aggregate of every touched
key. Deleting a document therefore removes exactly what only it contributed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jurisgraph.models.base import Base, BigId, LongText, Timestamps, utcnow


class GraphNode(Timestamps, Base):
    """An entity; ``entity_id`` is its canonical key (``ministro:herman_benjamin``)."""

    __tablename__ = "graph_nodes"
    __table_args__ = (
        UniqueConstraint("workspace_id", "entity_id"),
        Index("ix_graph_nodes_workspace_id_entity_type", "workspace_id", "entity_type"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    entity_id: Mapped[str] = mapped_column(String(191))
    name: Mapped[str] = mapped_column(String(512))
    entity_type: Mapped[str] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(LongText)
    source: Mapped[str] = mapped_column(String(16), default="stj")
    source_ref: Mapped[str | None] = mapped_column(String(191))
    mention_count: Mapped[int] = mapped_column(Integer, default=0)
    community_id: Mapped[str | None] = mapped_column(String(64), index=True)
    community_level: Mapped[int | None] = mapped_column(Integer)
    metadata_: Mapped[dict[str, Any] | None] = mapped_column("metadata")


class GraphEdge(Timestamps, Base):
    """A typed, weighted relation; ``edge_id`` is a hash of (source, type, target)."""

    __tablename__ = "graph_edges"
    __table_args__ = (
        UniqueConstraint("workspace_id", "edge_id"),
        Index("ix_graph_edges_workspace_id_source", "workspace_id", "source_entity_id"),
        Index("ix_graph_edges_workspace_id_target", "workspace_id", "target_entity_id"),
        Index(
            "ix_graph_edges_workspace_id_type_source", "workspace_id", "relationship_type", "source_entity_id"
        ),
        # covering for citation walks: type and target lead, source and edge id follow (0006)
        Index(
            "ix_graph_edges_workspace_id_type_target_source",
            "workspace_id",
            "relationship_type",
            "target_entity_id",
            "source_entity_id",
            "edge_id",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    edge_id: Mapped[str] = mapped_column(String(40))
    source_entity_id: Mapped[str] = mapped_column(String(191))
    target_entity_id: Mapped[str] = mapped_column(String(191))
    relationship_type: Mapped[str] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    source_ref: Mapped[str | None] = mapped_column(String(191))
    mention_count: Mapped[int] = mapped_column(Integer, default=0)
    metadata_: Mapped[dict[str, Any] | None] = mapped_column("metadata")


class Mention(Base):
    """Provenance: one entity or relation found in one chunk (or structured field) of a document."""

    __tablename__ = "mentions"
    __table_args__ = (
        # covering for citation walks: the field and the document follow the target (0006)
        Index(
            "ix_mentions_workspace_id_target_field",
            "workspace_id",
            "target_kind",
            "target_id",
            "field",
            "document_id",
        ),
        Index("ix_mentions_document_id", "document_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    chunk_id: Mapped[str | None] = mapped_column(ForeignKey("chunks.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(8))  # node | edge
    target_id: Mapped[str] = mapped_column(String(191))  # entity_id or edge_id
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer, default=1)
    extractor: Mapped[str] = mapped_column(String(16), default="rules")
    contribution: Mapped[dict[str, Any] | None] = mapped_column()


class Community(Timestamps, Base):
    """A community of the hierarchical Leiden partition and its report."""

    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("workspace_id", "community_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    community_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[int] = mapped_column(Integer, default=0)
    parent_community_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(512))
    summary: Mapped[str | None] = mapped_column(Text)
    full_report: Mapped[str | None] = mapped_column(LongText)
    key_entities: Mapped[list[Any] | None] = mapped_column()
    findings: Mapped[list[Any] | None] = mapped_column()
    rating: Mapped[float | None] = mapped_column(Float)
    entity_count: Mapped[int] = mapped_column(Integer, default=0)
    edge_count: Mapped[int] = mapped_column(Integer, default=0)
    rank: Mapped[float] = mapped_column(Float, default=0.0)
    report_source: Mapped[str] = mapped_column(String(16), default="extractive")


class EntitySummary(Base):
    """An LLM summary of an entity's many descriptions, valid while ``descriptions_hash`` matches.

    Kept apart from ``graph_nodes`` (which the graph stage recomputes from mentions): a node
    whose merged description changes simply stops matching its summary until it is redone.
    """

    __tablename__ = "entity_summaries"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    entity_id: Mapped[str] = mapped_column(String(191), primary_key=True)
    descriptions_hash: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(String(128))
    prompt_version: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)

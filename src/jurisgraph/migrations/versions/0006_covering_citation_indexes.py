"""covering indexes for citation walks

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 22:40:00.000000

A citation walk joins the edges of some types reaching a set of targets to the mentions that
state them (in some structured fields) and to those mentions' documents. With the source and
edge id in the (workspace, type, target) edge index, and the field and document id in the
(workspace, kind, target) mention index, both steps are read from the indexes alone: the plan
of a walk over 171k edges then has no table lookup for edges or mentions (2.0 s → 0.9 s on
bench/graph_query_scale.py's synthetic graph). Each replaces the index it extends.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_graph_edges_workspace_id_type_target_source",
        "graph_edges",
        ["workspace_id", "relationship_type", "target_entity_id", "source_entity_id", "edge_id"],
        unique=False,
    )
    op.drop_index("ix_graph_edges_workspace_id_type_target", table_name="graph_edges")
    op.create_index(
        "ix_mentions_workspace_id_target_field",
        "mentions",
        ["workspace_id", "target_kind", "target_id", "field", "document_id"],
        unique=False,
    )
    op.drop_index("ix_mentions_workspace_id_target", table_name="mentions")


def downgrade() -> None:
    op.create_index(
        "ix_mentions_workspace_id_target",
        "mentions",
        ["workspace_id", "target_kind", "target_id"],
        unique=False,
    )
    op.drop_index("ix_mentions_workspace_id_target_field", table_name="mentions")
    op.create_index(
        "ix_graph_edges_workspace_id_type_target",
        "graph_edges",
        ["workspace_id", "relationship_type", "target_entity_id"],
        unique=False,
    )
    op.drop_index("ix_graph_edges_workspace_id_type_target_source", table_name="graph_edges")

"""typed edge indexes for graph queries

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 21:20:00.000000

Graph queries walk edges of one type from or to a set of entities: (workspace, type, source)
and (workspace, type, target) keep those walks index-only lookups at a million edges.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("graph_edges", schema=None) as batch_op:
        batch_op.create_index(
            "ix_graph_edges_workspace_id_type_source",
            ["workspace_id", "relationship_type", "source_entity_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_graph_edges_workspace_id_type_target",
            ["workspace_id", "relationship_type", "target_entity_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("graph_edges", schema=None) as batch_op:
        batch_op.drop_index("ix_graph_edges_workspace_id_type_target")
        batch_op.drop_index("ix_graph_edges_workspace_id_type_source")

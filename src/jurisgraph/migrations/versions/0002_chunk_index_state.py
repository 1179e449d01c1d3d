"""chunk index state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 16:07:07.161809
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chunks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("indexed_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_chunks_embedded_at"), ["embedded_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("chunks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chunks_embedded_at"))
        batch_op.drop_column("indexed_at")

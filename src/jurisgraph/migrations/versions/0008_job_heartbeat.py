"""jobs: stage, heartbeat and parent

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 00:40:00.000000

A job row names the stage it is in, the last heartbeat of the worker holding it (a stale one
while ``running`` means that worker died and the job is taken again) and the job that fanned
it out (per-resource children of an ingestion; the parent's finish stage runs once after them).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stage", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("parent_id", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_jobs_parent_id"), ["parent_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_parent_id"))
        batch_op.drop_column("parent_id")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("stage")

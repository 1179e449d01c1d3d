"""Queries on ``communities`` (the hierarchical Leiden partition and its reports)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from jurisgraph.models import Community


def count(session: Session, workspace_id: int) -> int:
    """How many communities the workspace has."""
    return int(
        session.scalar(
            select(func.count()).select_from(Community).where(Community.workspace_id == workspace_id)
        )
        or 0
    )


def replace_all(session: Session, workspace_id: int, rows: Sequence[dict[str, Any]]) -> None:
    """The workspace's communities become ``rows`` (column → value mappings)."""
    session.execute(delete(Community).where(Community.workspace_id == workspace_id))
    if rows:
        session.execute(insert(Community), rows)


def ranked(
    session: Session, workspace_id: int, limit: int | None = None
) -> list[tuple[str, int, str | None, str | None, str | None, float, list[Any] | None]]:
    """(community id, level, title, summary, full report, rank, key entities) of the workspace's
    communities, best rank first (ties by id), at most ``limit``."""
    query = (
        select(
            Community.community_id,
            Community.level,
            Community.title,
            Community.summary,
            Community.full_report,
            Community.rank,
            Community.key_entities,
        )
        .where(Community.workspace_id == workspace_id)
        .order_by(Community.rank.desc(), Community.community_id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        (cid, level, title, summary, report, rank, keys)
        for cid, level, title, summary, report, rank, keys in session.execute(query)
    ]


def parents(session: Session, workspace_id: int) -> list[tuple[str, str | None]]:
    """(community id, parent community id) of every community of the workspace."""
    rows = session.execute(
        select(Community.community_id, Community.parent_community_id).where(
            Community.workspace_id == workspace_id
        )
    )
    return [(cid, parent) for cid, parent in rows]


def community(session: Session, workspace_id: int, community_id: str) -> Community:
    """The workspace's community ``community_id`` (it must exist)."""
    return session.scalars(
        select(Community).where(
            Community.workspace_id == workspace_id, Community.community_id == community_id
        )
    ).one()

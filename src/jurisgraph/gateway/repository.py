"""Queries of the LLM gateway: the ledger (``llm_calls``) and the reply cache (``llm_cache``).

Every function works inside the caller's session; the ledger and the cache commit their own
rows (they must survive a failed request).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jurisgraph.errors import Conflict
from jurisgraph.models.ops import LlmCacheEntry, LlmCall

#: Usage groupings: name → the ``llm_calls`` expression grouped on.
USAGE_GROUPS: dict[str, Any] = {
    "day": func.date(LlmCall.created_at),
    "purpose": LlmCall.purpose,
    "model": LlmCall.model,
    "provider": LlmCall.provider,
    "status": LlmCall.status,
    "workspace": LlmCall.workspace_id,
    "user": LlmCall.user_id,
}
#: Owners a budget may be set per: scope → the ``llm_calls`` column naming the owner.
OWNER_COLUMNS = {"workspace": LlmCall.workspace_id, "user": LlmCall.user_id}


def add_call(session: Session, call: LlmCall) -> None:
    """Insert a ledger row."""
    session.add(call)


def spent(
    session: Session,
    day_start: datetime,
    month_start: datetime,
    *,
    workspace_id: int | None = None,
    user_id: int | None = None,
) -> tuple[float, float]:
    """USD of the calls since ``day_start`` and since ``month_start``, optionally of one workspace or user."""
    since = min(day_start, month_start)
    today = func.sum(case((LlmCall.created_at >= day_start, LlmCall.cost_usd), else_=0.0))
    stmt = select(func.coalesce(today, 0.0), func.coalesce(func.sum(LlmCall.cost_usd), 0.0)).where(
        LlmCall.created_at >= since
    )
    if workspace_id is not None:
        stmt = stmt.where(LlmCall.workspace_id == workspace_id)
    if user_id is not None:
        stmt = stmt.where(LlmCall.user_id == user_id)
    day, month = session.execute(stmt).one()
    return float(day), float(month)


def usage_totals(
    session: Session, by: Sequence[str], since: datetime | None, until: datetime | None
) -> list[tuple[Any, ...]]:
    """Per group of :data:`USAGE_GROUPS` named in ``by`` (in order): the group values, then calls
    ok, cached, failed (error or budget), tokens in, tokens out and cost; calls created in
    ``[since, until)``. One row without groups when ``by`` is empty."""
    columns = [USAGE_GROUPS[name].label(name) for name in by]
    stmt = select(
        *columns,
        func.sum(case((LlmCall.status == "ok", 1), else_=0)),
        func.sum(case((LlmCall.status == "cached", 1), else_=0)),
        func.sum(case((LlmCall.status.in_(("error", "budget_exhausted")), 1), else_=0)),
        func.coalesce(func.sum(LlmCall.tokens_in), 0),
        func.coalesce(func.sum(LlmCall.tokens_out), 0),
        func.coalesce(func.sum(LlmCall.cost_usd), 0.0),
    )
    if since is not None:
        stmt = stmt.where(LlmCall.created_at >= since)
    if until is not None:
        stmt = stmt.where(LlmCall.created_at < until)
    if columns:
        stmt = stmt.group_by(*columns).order_by(*columns)
    return [tuple(record) for record in session.execute(stmt)]


def job_totals(session: Session, job_ids: Sequence[str]) -> tuple[int, int, int, int, int, float]:
    """Calls ok, cached, failed (error or budget), tokens in, tokens out and cost of the calls
    booked to any of ``job_ids``."""
    stmt = select(
        func.coalesce(func.sum(case((LlmCall.status == "ok", 1), else_=0)), 0),
        func.coalesce(func.sum(case((LlmCall.status == "cached", 1), else_=0)), 0),
        func.coalesce(func.sum(case((LlmCall.status.in_(("error", "budget_exhausted")), 1), else_=0)), 0),
        func.coalesce(func.sum(LlmCall.tokens_in), 0),
        func.coalesce(func.sum(LlmCall.tokens_out), 0),
        func.coalesce(func.sum(LlmCall.cost_usd), 0.0),
    ).where(LlmCall.job_id.in_(list(job_ids)))
    ok, cached, failed, tokens_in, tokens_out, cost = session.execute(stmt).one()
    return int(ok), int(cached), int(failed), int(tokens_in), int(tokens_out), float(cost)


def spenders(session: Session, scope: str, since: datetime) -> list[int]:
    """Ids of the owners of ``scope`` (workspace or user) with calls since ``since``, in order."""
    column = OWNER_COLUMNS[scope]
    return list(
        session.scalars(
            select(column).where(LlmCall.created_at >= since, column.is_not(None)).distinct().order_by(column)
        )
    )


def cached_reply(session: Session, key: str) -> LlmCacheEntry | None:
    """The reply stored under ``key``, if any."""
    return session.get(LlmCacheEntry, key)


def add_cached_reply(session: Session, entry: LlmCacheEntry) -> None:
    """Store ``entry`` unless its key holds a reply; :class:`Conflict` when another writer stored
    one first (the session must then be rolled back)."""
    if cached_reply(session, entry.cache_key) is not None:
        return
    session.add(entry)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(f"a reply is already cached under {entry.cache_key}") from exc


def delete_cached_reply(session: Session, key: str) -> None:
    """Drop the reply stored under ``key``."""
    session.execute(delete(LlmCacheEntry).where(LlmCacheEntry.cache_key == key))

"""LLM usage reports from the ledger, for the CLI and admin pages: totals by group and budget status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from jurisgraph.db import SessionFactory, session_scope
from jurisgraph.errors import InvalidInput
from jurisgraph.gateway import repository
from jurisgraph.gateway.budgets import PERIODS, Budgets, period_starts
from jurisgraph.gateway.ledger import Ledger

#: The groupings :func:`usage_report` accepts.
GROUPS: tuple[str, ...] = tuple(repository.USAGE_GROUPS)


@dataclass(frozen=True, slots=True)
class UsageRow:
    """Ledger totals of one group: ``group`` maps each grouping name to its value."""

    group: dict[str, str]
    calls: int
    cached: int
    failed: int
    tokens_in: int
    tokens_out: int
    cost_usd: float


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """Spending of one scope (``global``, ``workspace 3``, ``user 7``) in one period (day, month)."""

    scope: str
    period: str
    limit_usd: float | None
    spent_usd: float

    @property
    def remaining_usd(self) -> float | None:
        """What is left before the cap (never negative); None without a cap."""
        return None if self.limit_usd is None else max(0.0, self.limit_usd - self.spent_usd)

    @property
    def exhausted(self) -> bool:
        return self.limit_usd is not None and self.spent_usd >= self.limit_usd


def usage_report(
    sessions: SessionFactory,
    *,
    by: Sequence[str] = ("day", "purpose", "model"),
    since: date | None = None,
    until: date | None = None,
) -> list[UsageRow]:
    """Calls (ok), cache hits, failures (error or budget), tokens and cost per group, sorted by group.

    ``by`` names the groupings (day, purpose, model, provider, status, workspace, user);
    ``since``/``until`` bound the UTC day of the calls, both inclusive.
    """
    unknown = [name for name in by if name not in GROUPS]
    if unknown:
        raise InvalidInput(f"unknown usage grouping {unknown}; expected some of {sorted(GROUPS)}")
    start = None if since is None else datetime(since.year, since.month, since.day)
    end = None if until is None else datetime(until.year, until.month, until.day) + timedelta(days=1)
    with session_scope(sessions) as session:
        totals = repository.usage_totals(session, by, start, end)
    rows: list[UsageRow] = []
    for values in totals:
        head, (calls, cached, failed, tokens_in, tokens_out, cost) = values[: len(by)], values[len(by) :]
        if not by and not (calls or cached or failed):
            continue
        rows.append(
            UsageRow(
                group={
                    name: "" if value is None else str(value) for name, value in zip(by, head, strict=True)
                },
                calls=int(calls or 0),
                cached=int(cached or 0),
                failed=int(failed or 0),
                tokens_in=int(tokens_in),
                tokens_out=int(tokens_out),
                cost_usd=float(cost),
            )
        )
    return rows


def job_usage(sessions: SessionFactory, job_ids: Sequence[str]) -> UsageRow:
    """Ledger totals of the calls booked to ``job_ids`` (an evaluation run books each mode to one)."""
    with session_scope(sessions) as session:
        calls, cached, failed, tokens_in, tokens_out, cost = repository.job_totals(session, job_ids)
    return UsageRow({}, calls, cached, failed, tokens_in, tokens_out, cost)


def budget_status(
    sessions: SessionFactory, budgets: Budgets, *, now: datetime | None = None
) -> list[BudgetLine]:
    """Spent today and this month (UTC) against each cap: the global scope always, then every
    workspace and user that spent this month, when a cap of their kind is set."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    day_start, month_start = period_starts(now)
    ledger = Ledger(sessions)
    lines: list[BudgetLine] = []

    def add(scope: str, label: str, workspace_id: int | None = None, user_id: int | None = None) -> None:
        spent = ledger.spent(day_start, month_start, workspace_id=workspace_id, user_id=user_id)
        for period, limit, used in zip(PERIODS, budgets.limits(scope), spent, strict=True):
            lines.append(BudgetLine(label, period, limit, used))

    add("global", "global")
    for scope in ("workspace", "user"):
        if budgets.limits(scope) == (None, None):
            continue
        with session_scope(sessions) as session:
            owners = repository.spenders(session, scope, month_start)
        for owner in owners:
            if scope == "workspace":
                add(scope, f"workspace {owner}", workspace_id=owner)
            else:
                add(scope, f"user {owner}", user_id=owner)
    return lines

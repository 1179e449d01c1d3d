"""LLM spending caps: global, per workspace and per user, each per UTC day and per UTC month.

A call is checked before it is made against what the ledger already holds, so spending
stops within one call of a cap (within the calls in flight, when several run at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jurisgraph.errors import BudgetExhausted
from jurisgraph.gateway.context import CallContext
from jurisgraph.gateway.ledger import Ledger

PERIODS = ("day", "month")


@dataclass(frozen=True, slots=True)
class Budgets:
    """Caps in USD; 0 (or less) means no cap."""

    daily_usd: float = 0.0
    monthly_usd: float = 0.0
    workspace_daily_usd: float = 0.0
    workspace_monthly_usd: float = 0.0
    user_daily_usd: float = 0.0
    user_monthly_usd: float = 0.0

    def limits(self, scope: str) -> tuple[float | None, float | None]:
        """(daily, monthly) caps of ``scope`` ("global", "workspace" or "user"); None = no cap."""
        pairs = {
            "global": (self.daily_usd, self.monthly_usd),
            "workspace": (self.workspace_daily_usd, self.workspace_monthly_usd),
            "user": (self.user_daily_usd, self.user_monthly_usd),
        }
        day, month = pairs[scope]
        return (day if day > 0 else None, month if month > 0 else None)

    @property
    def any(self) -> bool:
        """True when at least one cap is set."""
        return any(
            value > 0
            for value in (
                self.daily_usd,
                self.monthly_usd,
                self.workspace_daily_usd,
                self.workspace_monthly_usd,
                self.user_daily_usd,
                self.user_monthly_usd,
            )
        )


def period_starts(now: datetime) -> tuple[datetime, datetime]:
    """Start of the UTC day and of the UTC month containing ``now`` (naive UTC)."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return day, day.replace(day=1)


def scope_name(scope: str, owner: int | None, period: str) -> str:
    """A readable scope label: ``global/day``, ``workspace 3/month``, ``user 7/day``."""
    who = scope if owner is None else f"{scope} {owner}"
    return f"{who}/{period}"


def check_budgets(ledger: Ledger, budgets: Budgets, context: CallContext, now: datetime) -> None:
    """Raise :class:`BudgetExhausted` for the first cap already reached by the ledger's sums."""
    if not budgets.any:
        return
    day_start, month_start = period_starts(now)
    scopes: list[tuple[str, int | None]] = [("global", None)]
    if context.workspace_id is not None:
        scopes.append(("workspace", context.workspace_id))
    if context.user_id is not None:
        scopes.append(("user", context.user_id))
    for scope, owner in scopes:
        daily, monthly = budgets.limits(scope)
        if daily is None and monthly is None:
            continue
        spent = ledger.spent(
            day_start,
            month_start,
            workspace_id=owner if scope == "workspace" else None,
            user_id=owner if scope == "user" else None,
        )
        for period, limit, used in zip(PERIODS, (daily, monthly), spent, strict=True):
            if limit is not None and used >= limit:
                raise BudgetExhausted(scope_name(scope, owner, period), limit, used)

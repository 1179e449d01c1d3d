"""Usage and budget reports over the ledger (the command that prints them is in tests/cli/test_llm_cmd.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jurisgraph.errors import InvalidInput
from jurisgraph.gateway import Budgets, CallContext, budget_status, job_usage, usage_report
from jurisgraph.gateway.ledger import Ledger
from tests.fixtures.gateway import ledger_entry as _entry

NOW = datetime(2026, 11, 29, 15, 30)


def _fill(sessions: sessionmaker[Session], today: datetime) -> None:
    ledger = Ledger(sessions)
    yesterday = today.replace(day=today.day - 1)
    ledger.record(_entry(yesterday, tokens_in=1000, tokens_out=100, cost_usd=0.25))
    ledger.record(
        _entry(today, tokens_in=3000, tokens_out=300, cost_usd=0.5, context=CallContext(workspace_id=3))
    )
    ledger.record(_entry(today, "cached", purpose="answer", context=CallContext(workspace_id=3, user_id=7)))
    ledger.record(_entry(today, "budget_exhausted", purpose="answer", model="gemini-2.5-pro", error="cap"))
    ledger.record(
        _entry(today, tokens_in=500, tokens_out=50, cost_usd=0.1, purpose="answer", model="gemini-2.5-pro")
    )


def test_usage_by_day_purpose_and_model(sessions: sessionmaker[Session]) -> None:
    _fill(sessions, NOW)

    rows = usage_report(sessions)
    table = {tuple(r.group.values()): (r.calls, r.cached, r.failed, r.tokens_in, r.tokens_out) for r in rows}

    assert table == {
        ("2026-11-28", "extraction", "gemini-2.5-flash"): (1, 0, 0, 1000, 100),
        ("2026-11-29", "answer", "gemini-2.5-flash"): (0, 1, 0, 0, 0),
        ("2026-11-29", "answer", "gemini-2.5-pro"): (1, 0, 1, 500, 50),
        ("2026-11-29", "extraction", "gemini-2.5-flash"): (1, 0, 0, 3000, 300),
    }
    (today,) = usage_report(sessions, by=("day",), since=date(2026, 11, 29))
    assert today.cost_usd == pytest.approx(0.6)
    (yesterday,) = usage_report(sessions, by=("day",), until=date(2026, 11, 28))
    assert yesterday.group == {"day": "2026-11-28"}
    with pytest.raises(InvalidInput):
        usage_report(sessions, by=("weekday",))


def test_budget_status_per_scope(sessions: sessionmaker[Session]) -> None:
    _fill(sessions, NOW)
    budgets = Budgets(daily_usd=0.5, monthly_usd=2.0, workspace_daily_usd=1.0)

    lines = {(line.scope, line.period): line for line in budget_status(sessions, budgets, now=NOW)}

    assert set(lines) == {
        ("global", "day"),
        ("global", "month"),
        ("workspace 3", "day"),
        ("workspace 3", "month"),
    }
    assert lines["global", "day"].spent_usd == pytest.approx(0.6)
    assert lines["global", "day"].exhausted and lines["global", "day"].remaining_usd == 0
    assert lines["global", "month"].spent_usd == pytest.approx(0.85)
    assert lines["global", "month"].remaining_usd == pytest.approx(1.15)
    assert lines["workspace 3", "day"].spent_usd == pytest.approx(0.5)
    assert lines["workspace 3", "month"].limit_usd is None


def test_job_usage_totals_the_calls_booked_to_the_given_jobs(sessions: sessionmaker[Session]) -> None:
    _fill(sessions, NOW)  # booked to no job
    ledger = Ledger(sessions)
    run = CallContext(job_id="eval-abc-local")
    ledger.record(_entry(NOW, tokens_in=10, tokens_out=5, cost_usd=0.01, purpose="answer", context=run))
    ledger.record(_entry(NOW, "cached", purpose="answer", context=run))
    ledger.record(_entry(NOW, "error", purpose="answer", error="boom", context=run))
    ledger.record(_entry(NOW, cost_usd=0.5, context=CallContext(job_id="eval-abc-global")))

    local = job_usage(sessions, ["eval-abc-local"])
    assert (local.calls, local.cached, local.failed, local.tokens_in, local.tokens_out) == (1, 1, 1, 10, 5)
    assert local.cost_usd == pytest.approx(0.01)
    both = job_usage(sessions, ["eval-abc-local", "eval-abc-global"])
    assert both.calls == 2 and both.cost_usd == pytest.approx(0.51)
    none = job_usage(sessions, ["eval-other"])
    assert (none.calls, none.cached, none.failed, none.cost_usd) == (0, 0, 0, 0.0)

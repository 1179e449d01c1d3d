"""Budgets stop spending within one call of a cap: global, per workspace, per user; day and month."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jurisgraph.engine.llm import ChatRequest
from jurisgraph.errors import BudgetExhausted
from jurisgraph.gateway import Budgets, CallContext, Gateway
from tests.fakes.protocol_server import ChatTurn, Recorded
from tests.fixtures.gateway import FakeClock, gateway, ledger_rows, ledger_totals
from tests.fixtures.llm import Served, ementa_request, espelhos

MODEL = "openai-test-model"
PRICE = (1.0, 2.0)
TURN = ChatTurn("resumo", tokens_in=200_000, tokens_out=100_000)
CALL_COST = (TURN.tokens_in * PRICE[0] + TURN.tokens_out * PRICE[1]) / 1_000_000


def _requests() -> list[ChatRequest]:
    return [ementa_request(r) for r in espelhos()]


def _spend(
    gw: Gateway, requests: list[ChatRequest], context: CallContext | None = None
) -> list[BudgetExhausted]:
    refused = []
    for request in requests:
        try:
            gw.complete(request, context=context)
        except BudgetExhausted as exc:
            refused.append(exc)
    return refused


@pytest.fixture
def priced(openai: Served) -> Served:
    def reply(_: Recorded) -> ChatTurn:
        return TURN

    openai.server.chat_responder = reply
    return openai


def test_a_daily_cap_stops_spending_within_one_call(priced: Served, sessions: sessionmaker[Session]) -> None:
    clock = FakeClock()
    cap = 1.0
    gw = gateway(priced, sessions, clock=clock, prices={MODEL: PRICE}, budgets=Budgets(daily_usd=cap))
    requests = _requests()
    assert len(requests) >= 5

    refused = _spend(gw, requests)

    spent = ledger_totals(sessions)[2]
    assert cap <= spent < cap + CALL_COST
    asked = len(priced.requests())
    assert asked == round(spent / CALL_COST)
    assert len(refused) == len(requests) - asked
    assert {(e.scope, e.limit_usd) for e in refused} == {("global/day", cap)}
    assert refused[0].spent_usd == pytest.approx(spent)
    statuses = [row.status for row in ledger_rows(sessions)]
    assert statuses == ["ok"] * asked + ["budget_exhausted"] * len(refused)

    assert gw.complete(requests[0]).cached, "a cached reply costs nothing and is still served"
    clock.start += timedelta(days=1)
    gw.complete(requests[-1])
    assert len(priced.requests()) == asked + 1, "the next UTC day has a fresh daily budget"


def test_a_monthly_cap_outlasts_the_day(priced: Served, sessions: sessionmaker[Session]) -> None:
    clock = FakeClock()
    budgets = Budgets(daily_usd=1.0, monthly_usd=1.5)
    gw = gateway(priced, sessions, clock=clock, prices={MODEL: PRICE}, budgets=budgets, cache=False)
    requests = _requests()
    _spend(gw, requests[:3])
    clock.start += timedelta(days=1)

    refused = _spend(gw, requests)

    assert {e.scope for e in refused} == {"global/month"}
    assert ledger_totals(sessions)[2] < budgets.monthly_usd + CALL_COST


def test_workspace_and_user_caps_apply_to_their_owner_only(
    priced: Served, sessions: sessionmaker[Session]
) -> None:
    budgets = Budgets(workspace_daily_usd=0.5, user_monthly_usd=0.3)
    gw = gateway(priced, sessions, prices={MODEL: PRICE}, budgets=budgets, cache=False)
    requests = _requests()[:3]

    workspace_refused = _spend(gw, requests, CallContext(workspace_id=1))
    other_workspace = _spend(gw, requests[:1], CallContext(workspace_id=2))
    user_refused = _spend(gw, requests, CallContext(user_id=7))
    other_user = _spend(gw, requests[:1], CallContext(user_id=8))

    assert [e.scope for e in workspace_refused] == ["workspace 1/day"]
    assert [e.scope for e in user_refused] == ["user 7/month", "user 7/month"]
    assert other_workspace == other_user == []
    by_owner: dict[tuple[int | None, int | None], float] = {}
    for row in ledger_rows(sessions):
        key = (row.workspace_id, row.user_id)
        by_owner[key] = by_owner.get(key, 0.0) + row.cost_usd
    assert by_owner[(1, None)] < budgets.workspace_daily_usd + CALL_COST
    assert by_owner[(None, 7)] < budgets.user_monthly_usd + CALL_COST

"""The ledger records what the providers reported; the reply cache makes a re-run free."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker
from structlog.testing import capture_logs

from jurisgraph.db import build_sessionmaker
from jurisgraph.engine.llm import Purpose
from jurisgraph.gateway import CallContext, call_context, usage_report
from jurisgraph.metrics import REGISTRY
from jurisgraph.migrations import upgrade
from tests.fakes.protocol_server import ChatTurn
from tests.fixtures.gateway import gateway, ledger_rows, ledger_totals
from tests.fixtures.llm import Served, ementa_request, espelhos

PRICE = (0.30, 2.50)


def _turns(records: list[dict[str, str]]) -> list[ChatTurn]:
    """One reply per record: its first ementa line, usage derived from the real text lengths."""
    return [
        ChatTurn(
            r["ementa"].split("\n")[0], tokens_in=len(r["ementa"]) // 3, tokens_out=len(r["decisao"]) // 5
        )
        for r in records
    ]


def _metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_ledger_sums_equal_what_the_server_reported(
    provider: Served, sessions: sessionmaker[Session]
) -> None:
    records = espelhos()[:3]
    turns = _turns(records)
    provider.answer(*turns)
    model = f"{provider.name}-test-model"
    gw = gateway(provider, sessions, prices={model: PRICE})
    labels = {"provider": provider.name, "model": model, "purpose": "summary"}
    tokens_before = _metric("jurisgraph_llm_tokens_total", **labels, direction="in")
    cost_before = _metric("jurisgraph_llm_cost_usd_total", **labels)
    context = CallContext(job_id="job-espelhos", user_id=7, workspace_id=3)

    replies = [gw.complete(ementa_request(r), context=context) for r in records]

    assert [r.text for r in replies] == [t.text for t in turns]
    rows = ledger_rows(sessions)
    assert [row.status for row in rows] == ["ok"] * 3
    assert {(row.provider, row.model, row.purpose, row.prompt_version) for row in rows} == {
        (provider.name, model, "summary", "v1")
    }
    assert {(row.job_id, row.user_id, row.workspace_id) for row in rows} == {("job-espelhos", 7, 3)}
    sent_in = sum(t.tokens_in for t in turns)
    sent_out = sum(t.tokens_out for t in turns)
    expected_cost = (sent_in * PRICE[0] + sent_out * PRICE[1]) / 1_000_000
    tokens_in, tokens_out, cost = ledger_totals(sessions)
    assert (tokens_in, tokens_out) == (sent_in, sent_out)
    assert cost == pytest.approx(expected_cost)
    assert _metric("jurisgraph_llm_tokens_total", **labels, direction="in") - tokens_before == sent_in
    assert _metric("jurisgraph_llm_cost_usd_total", **labels) - cost_before == pytest.approx(expected_cost)


def test_an_unknown_model_costs_nothing_and_warns_once(
    openai: Served, sessions: sessionmaker[Session]
) -> None:
    openai.answer(ChatTurn("a", 1000, 100), ChatTurn("b", 2000, 200))
    gw = gateway(openai, sessions, prices={"gemini-2.5-flash": PRICE}, cache=False)
    with capture_logs() as logs:
        gw.complete(ementa_request(espelhos()[0]))
        gw.complete(ementa_request(espelhos()[1]))
    assert ledger_totals(sessions) == (3000, 300, 0.0)
    assert [e["model"] for e in logs if e["event"] == "llm.price_unknown"] == ["openai-test-model"]


def test_a_second_run_is_served_from_the_cache(provider: Served, sessions: sessionmaker[Session]) -> None:
    records = espelhos()[:3]
    turns = _turns(records)
    provider.answer(*turns)
    gw = gateway(provider, sessions, prices={f"{provider.name}-test-model": PRICE})
    first = [gw.complete(ementa_request(r)) for r in records]
    spent = ledger_totals(sessions)
    asked = len(provider.requests())

    again = [gw.complete(ementa_request(r)) for r in records]
    streamed = gw.stream(ementa_request(records[0]))

    assert "".join(streamed) == first[0].text
    assert len(provider.requests()) == asked == 3
    assert [r.text for r in again] == [r.text for r in first]
    assert all(r.cached and r.tokens_in == 0 and r.tokens_out == 0 for r in again)
    assert again[0].extra["cached_tokens_in"] == turns[0].tokens_in
    rows = ledger_rows(sessions)
    assert [row.status for row in rows] == ["ok"] * 3 + ["cached"] * 4
    assert all(row.cached and row.tokens_in == row.tokens_out == 0 and row.cost_usd == 0 for row in rows[3:])
    assert ledger_totals(sessions) == spent


def test_a_new_prompt_version_asks_again(openai: Served, sessions: sessionmaker[Session]) -> None:
    openai.answer(ChatTurn("v1 reply", 10, 2), ChatTurn("v2 reply", 10, 2))
    gw = gateway(openai, sessions)
    record = espelhos()[0]
    assert gw.complete(ementa_request(record, version="v1")).text == "v1 reply"
    assert gw.complete(ementa_request(record, version="v2")).text == "v2 reply"
    assert gw.complete(ementa_request(record, version="v1")).cached
    assert len(openai.requests()) == 2


def test_a_stream_is_recorded_and_cached(provider: Served, sessions: sessionmaker[Session]) -> None:
    record = espelhos()[4]
    text = record["ementa"][:240]
    provider.answer(ChatTurn(text, tokens_in=321, tokens_out=54))
    gw = gateway(provider, sessions)

    stream = gw.stream(ementa_request(record, purpose=Purpose.ANSWER), context=CallContext(user_id=9))
    assert "".join(stream) == text
    assert stream.response is not None and stream.response.tokens_in == 321

    (row,) = ledger_rows(sessions)
    assert (row.status, row.tokens_in, row.tokens_out, row.user_id, row.purpose) == (
        "ok",
        321,
        54,
        9,
        "answer",
    )
    assert gw.complete(ementa_request(record, purpose=Purpose.ANSWER)).cached
    assert len(provider.requests()) == 1


def test_a_stream_closed_early_is_recorded_as_an_error(
    openai: Served, sessions: sessionmaker[Session]
) -> None:
    record = espelhos()[0]
    openai.answer(ChatTurn(record["ementa"][:200], 50, 20))
    gw = gateway(openai, sessions)
    stream = gw.stream(ementa_request(record))
    next(stream)
    stream.close()
    (row,) = ledger_rows(sessions)
    assert row.status == "error" and "closed" in (row.error or "")


def test_the_call_context_can_be_set_for_a_block(openai: Served, sessions: sessionmaker[Session]) -> None:
    openai.answer(ChatTurn("a"), ChatTurn("b"))
    gw = gateway(openai, sessions, cache=False)
    with call_context(CallContext(job_id="job-1", workspace_id=5)):
        gw.complete(ementa_request(espelhos()[0]))
        gw.complete(ementa_request(espelhos()[0]), context=CallContext(workspace_id=6))
    assert [(r.job_id, r.workspace_id) for r in ledger_rows(sessions)] == [("job-1", 5), (None, 6)]


def test_the_ledger_works_on_every_database(empty_db_url: str, openai: Served) -> None:
    upgrade(empty_db_url)
    engine = create_engine(empty_db_url)
    sessions = build_sessionmaker(engine)
    try:
        records = espelhos()[:2]
        turns = _turns(records)
        openai.answer(*turns)
        gw = gateway(openai, sessions, prices={"openai-test-model": PRICE})
        for _ in range(2):
            for r in records:
                gw.complete(ementa_request(r), context=CallContext(workspace_id=1))
        (row,) = usage_report(sessions, by=("model", "purpose"))
        assert (row.calls, row.cached, row.failed) == (2, 2, 0)
        assert (row.tokens_in, row.tokens_out) == (
            sum(t.tokens_in for t in turns),
            sum(t.tokens_out for t in turns),
        )
        assert row.group == {"model": "openai-test-model", "purpose": "summary"}
        assert len(openai.requests()) == 2
    finally:
        engine.dispose()

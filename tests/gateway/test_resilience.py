"""Retries on 429/5xx/timeouts, fail-fast on other errors, and the per-process limits."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jurisgraph.engine.llm import ChatModel, ChatRequest, ChatResponse, Purpose
from jurisgraph.errors import RetryableUpstreamError, UpstreamError
from jurisgraph.gateway import Gateway, GatewaySettings, RetryPolicy, SystemClock
from jurisgraph.integrations.llm import ChatStream
from tests.fakes.protocol_server import ChatTurn, Recorded
from tests.fixtures.gateway import FakeClock, gateway, ledger_rows
from tests.fixtures.llm import Served, ementa_request, espelhos

PROCESSO = re.compile(r"ementa do (.+? \d+):")


class RecordingClock(SystemClock):
    """The real clock, keeping every sleep."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        super().sleep(seconds)


def _echo_processo(served: Served) -> None:
    """Answer each request with the case number its prompt names."""

    def reply(request: Recorded) -> ChatTurn:
        text = " ".join(t for _, t in served.messages(request))
        found = PROCESSO.search(text)
        return ChatTurn(found.group(1) if found else "?", 100, 10)

    served.server.chat_responder = reply


def test_a_429_storm_slows_but_loses_nothing(provider: Served, sessions: sessionmaker[Session]) -> None:
    _echo_processo(provider)
    provider.rate_limit(4, retry_after="0.2")
    clock = RecordingClock()
    gw = gateway(provider, sessions, clock=clock)
    records = espelhos()[:3]

    started = time.monotonic()
    replies = [gw.complete(ementa_request(r)).text for r in records]

    assert replies == [f"{r['siglaClasse']} {r['numeroProcesso']}" for r in records]
    assert time.monotonic() - started >= 4 * 0.2
    assert len(clock.sleeps) == 4 and min(clock.sleeps) >= 0.2
    assert len(provider.requests()) == len(records) + 4
    assert [row.status for row in ledger_rows(sessions)] == ["ok"] * len(records)


def test_when_retries_run_out_the_error_is_raised_and_recorded(
    openai: Served, sessions: sessionmaker[Session]
) -> None:
    openai.server_error(10, 503)
    gw = gateway(openai, sessions, retry=RetryPolicy(max_retries=2, initial_wait=0.0, max_wait=0.0))
    with pytest.raises(RetryableUpstreamError, match="503"):
        gw.complete(ementa_request(espelhos()[0]))
    assert len(openai.requests()) == 3
    (row,) = ledger_rows(sessions)
    assert row.status == "error" and "503" in (row.error or "")


def test_a_final_error_fails_at_once(provider: Served, sessions: sessionmaker[Session]) -> None:
    provider.fail(1, 400)
    gw = gateway(provider, sessions)
    with pytest.raises(UpstreamError) as caught:
        gw.complete(ementa_request(espelhos()[0]))
    assert not isinstance(caught.value, RetryableUpstreamError)
    assert len(provider.requests()) == 1
    assert [row.status for row in ledger_rows(sessions)] == ["error"]


def test_a_timeout_is_retried(provider: Served, sessions: sessionmaker[Session]) -> None:
    record = espelhos()[1]
    provider.slow(1, 3.0)
    provider.answer(ChatTurn(record["ministroRelator"], 40, 4))
    gw = gateway(provider, sessions, model_settings={"timeout": 0.4})

    reply = gw.complete(ementa_request(record))

    assert reply.text == record["ministroRelator"]
    assert len(provider.requests()) == 2
    assert [(row.status, row.tokens_in) for row in ledger_rows(sessions)] == [("ok", 40)]


class _StartTimes:
    """A chat model that notes the (fake) time each call starts."""

    def __init__(self, inner: ChatModel, clock: FakeClock) -> None:
        self.inner, self.clock = inner, clock
        self.starts: list[float] = []

    @property
    def provider(self) -> str:
        return self.inner.provider

    def model_for(self, purpose: Purpose) -> str:
        return self.inner.model_for(purpose)

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.starts.append(self.clock.monotonic())
        return self.inner.complete(request)

    def stream(self, request: ChatRequest) -> ChatStream:
        raise NotImplementedError


def test_the_rpm_limit_is_respected(openai: Served, sessions: sessionmaker[Session]) -> None:
    _echo_processo(openai)
    clock = FakeClock()
    model = _StartTimes(openai.chat_model(), clock)
    rpm = 3
    gw = Gateway(model, sessions, settings=GatewaySettings(rpm=rpm, cache=False), clock=clock)
    calls = 7

    for record in (espelhos() * 2)[:calls]:
        gw.complete(ementa_request(record))

    starts = model.starts
    assert len(starts) == calls
    assert all(later - earlier >= 60.0 for earlier, later in zip(starts, starts[rpm:], strict=False))
    assert starts[-1] >= 60.0 * ((calls - 1) // rpm)
    assert len(openai.requests()) == calls


def test_the_concurrency_limit_is_respected(openai: Served, sessions: sessionmaker[Session]) -> None:
    _echo_processo(openai)
    openai.slow(6, 0.3)
    gw = gateway(openai, sessions, concurrency=2, cache=False)
    records = espelhos()[:6]

    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(pool.map(lambda r: gw.complete(ementa_request(r)).text, records))

    assert replies == [f"{r['siglaClasse']} {r['numeroProcesso']}" for r in records]
    assert openai.server.max_in_flight == 2

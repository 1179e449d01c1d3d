"""Gateway test helpers: a fake clock and a gateway over a served provider."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jurisgraph.gateway import Gateway, GatewaySettings, RetryPolicy
from jurisgraph.gateway.clock import Clock
from jurisgraph.models.ops import LlmCall
from tests.integrations.llm.harness import Served

FAST_RETRY = RetryPolicy(max_retries=5, initial_wait=0.01, max_wait=2.0)


class FakeClock:
    """Time that moves only when someone sleeps; every sleep is recorded."""

    def __init__(self, start: datetime = datetime(2026, 11, 29, 12, 0, 0)) -> None:
        self.elapsed = 0.0
        self.start = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.elapsed

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.elapsed += max(0.0, seconds)

    def now(self) -> datetime:
        return (self.start + timedelta(seconds=self.elapsed)).replace(microsecond=0)


def gateway(
    served: Served,
    sessions: sessionmaker[Session],
    *,
    clock: Clock | None = None,
    model_settings: dict[str, Any] | None = None,
    **settings: Any,
) -> Gateway:
    """A gateway over ``served``'s provider; ``settings`` are :class:`GatewaySettings` fields."""
    settings.setdefault("retry", FAST_RETRY)
    return Gateway(
        served.chat_model(**(model_settings or {})),
        sessions,
        settings=GatewaySettings(**settings),
        clock=clock,
    )


def ledger_rows(sessions: sessionmaker[Session]) -> list[LlmCall]:
    with sessions() as session:
        return list(session.scalars(select(LlmCall).order_by(LlmCall.id)))


def ledger_totals(sessions: sessionmaker[Session]) -> tuple[int, int, float]:
    """Sum of tokens in, tokens out and cost over every ledger row."""
    with sessions() as session:
        tokens_in, tokens_out, cost = session.execute(
            select(
                func.coalesce(func.sum(LlmCall.tokens_in), 0),
                func.coalesce(func.sum(LlmCall.tokens_out), 0),
                func.coalesce(func.sum(LlmCall.cost_usd), 0.0),
            )
        ).one()
    return int(tokens_in), int(tokens_out), float(cost)

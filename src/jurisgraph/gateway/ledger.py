"""The token and cost ledger (``llm_calls``): one row per chat call, whatever its outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jurisgraph.db import SessionFactory, session_scope
from jurisgraph.gateway import repository
from jurisgraph.gateway.context import CallContext
from jurisgraph.metrics import LLM_CALLS, LLM_COST, LLM_TOKENS
from jurisgraph.models.ops import LlmCall

STATUSES = ("ok", "error", "cached", "budget_exhausted")
ERROR_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One call as recorded: ``status`` is ok, error, cached or budget_exhausted."""

    provider: str
    model: str
    purpose: str
    prompt_version: str | None
    status: str
    context: CallContext
    created_at: datetime
    cache_key: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    latency_ms: int | None = None
    error: str | None = None


class Ledger:
    """Writes ledger rows (each in its own transaction) and sums spending for the budgets."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    def record(self, entry: LedgerEntry) -> None:
        """Insert ``entry`` and count it in the Prometheus metrics."""
        if entry.status not in STATUSES:
            raise ValueError(f"unknown ledger status {entry.status!r}")
        row = LlmCall(
            provider=entry.provider,
            model=entry.model,
            purpose=entry.purpose,
            prompt_version=entry.prompt_version[:64] if entry.prompt_version else None,
            cache_key=entry.cache_key,
            cached=entry.status == "cached",
            tokens_in=entry.tokens_in,
            tokens_out=entry.tokens_out,
            cost_usd=entry.cost_usd,
            latency_ms=entry.latency_ms,
            status=entry.status,
            error=entry.error[:ERROR_LENGTH] if entry.error else None,
            job_id=entry.context.job_id,
            user_id=entry.context.user_id,
            workspace_id=entry.context.workspace_id,
            created_at=entry.created_at,
        )
        with session_scope(self._sessions) as session:
            repository.add_call(session, row)
        labels = (entry.provider, entry.model, entry.purpose)
        LLM_CALLS.labels(*labels, entry.status).inc()
        if entry.tokens_in:
            LLM_TOKENS.labels(*labels, "in").inc(entry.tokens_in)
        if entry.tokens_out:
            LLM_TOKENS.labels(*labels, "out").inc(entry.tokens_out)
        if entry.cost_usd:
            LLM_COST.labels(*labels).inc(entry.cost_usd)

    def spent(
        self,
        day_start: datetime,
        month_start: datetime,
        *,
        workspace_id: int | None = None,
        user_id: int | None = None,
    ) -> tuple[float, float]:
        """USD spent since ``day_start`` and since ``month_start``, optionally of one workspace or user."""
        with session_scope(self._sessions) as session:
            return repository.spent(
                session, day_start, month_start, workspace_id=workspace_id, user_id=user_id
            )

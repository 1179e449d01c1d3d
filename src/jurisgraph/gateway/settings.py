"""The gateway's settings as plain values (built from ``LlmSettings`` or given in tests)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from jurisgraph.config import LlmSettings
from jurisgraph.gateway.budgets import Budgets
from jurisgraph.kit.retry import RetryPolicy


@dataclass(frozen=True, slots=True)
class GatewaySettings:
    """Retries, per-process limits (``rpm`` <= 0: none), the reply cache, prices and budgets."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    concurrency: int = 4
    rpm: int = 0
    cache: bool = True
    prices: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    budgets: Budgets = field(default_factory=Budgets)

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("gateway concurrency must be at least 1")

    @classmethod
    def from_llm(cls, llm: LlmSettings) -> GatewaySettings:
        """The settings read from ``JURISGRAPH_LLM_*``."""
        return cls(
            retry=RetryPolicy(
                max_retries=llm.max_retries,
                initial_wait=llm.retry_initial_wait_s,
                max_wait=llm.retry_max_wait_s,
            ),
            concurrency=llm.concurrency,
            rpm=llm.rpm,
            cache=llm.cache,
            prices=dict(llm.prices),
            budgets=Budgets(
                daily_usd=llm.budget_daily_usd,
                monthly_usd=llm.budget_monthly_usd,
                workspace_daily_usd=llm.budget_workspace_daily_usd,
                workspace_monthly_usd=llm.budget_workspace_monthly_usd,
                user_daily_usd=llm.budget_user_daily_usd,
                user_monthly_usd=llm.budget_user_monthly_usd,
            ),
        )

"""The LLM gateway: retries, limits, reply cache, token and cost ledger, budgets, structured outputs.

One gateway per process, built by :meth:`jurisgraph.runtime.Container.gateway`; use it wherever
a :class:`~jurisgraph.engine.llm.ChatModel` is expected.
"""

from __future__ import annotations

from jurisgraph.gateway.budgets import Budgets
from jurisgraph.gateway.clock import Clock, SystemClock
from jurisgraph.gateway.context import CallContext, call_context, current_context
from jurisgraph.gateway.core import Gateway
from jurisgraph.gateway.settings import GatewaySettings
from jurisgraph.gateway.usage import BudgetLine, UsageRow, budget_status, job_usage, usage_report
from jurisgraph.kit.retry import RetryPolicy

__all__ = [
    "BudgetLine",
    "Budgets",
    "CallContext",
    "Clock",
    "Gateway",
    "GatewaySettings",
    "RetryPolicy",
    "SystemClock",
    "UsageRow",
    "budget_status",
    "call_context",
    "current_context",
    "job_usage",
    "usage_report",
]

"""The LLM gateway: retries, limits, reply cache, token and cost ledger, budgets, structured outputs.

Build it once per process with :func:`build_gateway` and use it wherever a
:class:`~jurisgraph.engine.llm.ChatModel` is expected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jurisgraph.gateway.budgets import Budgets
from jurisgraph.gateway.clock import Clock, SystemClock
from jurisgraph.gateway.context import CallContext, call_context, current_context
from jurisgraph.gateway.core import Gateway
from jurisgraph.gateway.settings import GatewaySettings
from jurisgraph.gateway.usage import BudgetLine, UsageRow, budget_status, usage_report
from jurisgraph.kit.retry import RetryPolicy

if TYPE_CHECKING:
    from jurisgraph.runtime import Container

GATEWAY = "llm_gateway"


def build_gateway(container: Container) -> Gateway:
    """The gateway of ``container`` (one per process: built on first use, then reused).

    Reads ``container.settings.llm``, ``container.sessions`` and ``container.chat_model()``.
    """
    chat_model = container.chat_model()
    settings = GatewaySettings.from_llm(container.settings.llm)

    def build() -> Gateway:
        return Gateway(chat_model, container.sessions, settings=settings)

    gateway: Gateway = container.lazy(GATEWAY, build)
    return gateway


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
    "build_gateway",
    "call_context",
    "current_context",
    "usage_report",
]

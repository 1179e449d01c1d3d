"""`jurisgraph llm`: the token and cost ledger (usage) and the spending caps (budget)."""

from __future__ import annotations

from datetime import date

import typer
from rich.table import Table

from jurisgraph.cli.common import console, container_scope, settings_or_exit
from jurisgraph.gateway import GatewaySettings, budget_status, usage_report
from jurisgraph.gateway.usage import GROUPS

app = typer.Typer(help="LLM usage and budgets, from the ledger of every chat call.", no_args_is_help=True)

DEFAULT_GROUPS = ("day", "purpose", "model")


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}", param_hint=option) from exc


def _usd(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


@app.command("usage")
def usage_cmd(
    since: str | None = typer.Option(None, "--since", help="First UTC day included (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Last UTC day included (YYYY-MM-DD)."),
    by: list[str] | None = typer.Option(
        None, "--by", help=f"Group by {', '.join(GROUPS)}; repeat for several (default: day, purpose, model)."
    ),
) -> None:
    """Calls, cache hits, failures, tokens and cost per group."""
    groups = tuple(by or DEFAULT_GROUPS)
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise typer.BadParameter(
            f"unknown grouping {unknown}; expected some of {', '.join(GROUPS)}", param_hint="--by"
        )
    first, last = _day(since, "--since"), _day(until, "--until")
    with container_scope() as container:
        rows = usage_report(container.sessions, by=groups, since=first, until=last)
    table = Table(
        *groups, "calls", "cached", "failed", "tokens in", "tokens out", "cost USD", title="LLM usage"
    )
    for row in rows:
        table.add_row(
            *(row.group[g] or "—" for g in groups),
            str(row.calls),
            str(row.cached),
            str(row.failed),
            f"{row.tokens_in:,}",
            f"{row.tokens_out:,}",
            _usd(row.cost_usd),
        )
    table.add_section()
    table.add_row(
        "total",
        *([""] * (len(groups) - 1)),
        str(sum(r.calls for r in rows)),
        str(sum(r.cached for r in rows)),
        str(sum(r.failed for r in rows)),
        f"{sum(r.tokens_in for r in rows):,}",
        f"{sum(r.tokens_out for r in rows):,}",
        _usd(sum(r.cost_usd for r in rows)),
    )
    console.print(table)


@app.command("budget")
def budget_cmd() -> None:
    """Caps, spent today and this month (UTC), and what remains, per scope."""
    settings = settings_or_exit()
    budgets = GatewaySettings.from_llm(settings.llm).budgets
    with container_scope(settings) as container:
        lines = budget_status(container.sessions, budgets)
    table = Table("scope", "period", "limit USD", "spent USD", "remaining USD", "status", title="LLM budgets")
    for line in lines:
        if line.limit_usd is None:
            status = "no cap"
        elif line.exhausted:
            status = "[red]exhausted[/]"
        else:
            status = "[green]ok[/]"
        table.add_row(
            line.scope,
            line.period,
            _usd(line.limit_usd),
            _usd(line.spent_usd),
            _usd(line.remaining_usd),
            status,
        )
    console.print(table)

"""`jurisgraph llm usage|budget` over a ledger with real rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jurisgraph.cli.main import app
from jurisgraph.config import load_settings
from jurisgraph.gateway.ledger import Ledger
from jurisgraph.models.base import utcnow
from jurisgraph.runtime import Container
from tests.fixtures.gateway import ledger_entry


def test_cli_usage_and_budget(migrated_template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURISGRAPH_LLM_BUDGET_DAILY_USD", "0.5")
    monkeypatch.setenv("COLUMNS", "200")
    settings = load_settings()
    database = Path(settings.database_url.removeprefix("sqlite:///"))
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated_template, database)
    container = Container.build(settings)
    try:
        now = utcnow()
        ledger = Ledger(container.sessions)
        ledger.record(ledger_entry(now, tokens_in=1234, tokens_out=56, cost_usd=0.42))
        ledger.record(ledger_entry(now, tokens_in=2000, tokens_out=44, cost_usd=0.2, model="gemini-2.5-pro"))
    finally:
        container.close()
    runner = CliRunner()

    usage = runner.invoke(app, ["llm", "usage", "--by", "model", "--since", now.date().isoformat()])
    assert usage.exit_code == 0, usage.output
    assert "gemini-2.5-flash" in usage.output and "gemini-2.5-pro" in usage.output
    assert "1,234" in usage.output and "3,234" in usage.output and "0.6200" in usage.output

    budget = runner.invoke(app, ["llm", "budget"])
    assert budget.exit_code == 0, budget.output
    assert "exhausted" in budget.output and "0.5000" in budget.output

    bad = runner.invoke(app, ["llm", "usage", "--since", "ontem"])
    assert bad.exit_code != 0

"""`jurisgraph mcp`: who it runs as, and its list of tools (the stdio protocol itself is tested with
the official client in ``tests/mcp_server/test_stdio.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jurisgraph.auth import service as auth
from jurisgraph.cli.main import app
from jurisgraph.db import session_scope
from tests.fixtures.accounts import add_user
from tests.fixtures.homes import container_at
from tests.mcp_server.checks import TOOLS

runner = CliRunner()


def test_tools_lists_every_tool_with_its_parameters() -> None:
    listed = runner.invoke(app, ["mcp", "tools"])
    assert listed.exit_code == 0, listed.output
    for name in TOOLS:
        assert f"{name}:" in listed.output
    assert '"numero"' in listed.output and '"filters"' in listed.output


def test_it_runs_as_exactly_one_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    with container_at(home) as container:
        add_user(container, "disabled@tests.example")
        with session_scope(container.sessions) as session:
            user = auth.user_by_email(session, "disabled@tests.example")
            auth.update_user(session, user.id, is_active=False)
    monkeypatch.setenv("JURISGRAPH_HOME", str(home))
    monkeypatch.delenv("JURISGRAPH_MCP_API_KEY", raising=False)
    neither = runner.invoke(app, ["mcp"])
    both = runner.invoke(app, ["mcp", "--user", "a@b.c", "--api-key", "jg_x"])
    assert neither.exit_code == both.exit_code == 2
    for email, why in (("nobody@tests.example", "no user"), ("disabled@tests.example", "disabled")):
        refused = runner.invoke(app, ["mcp", "--user", email])
        assert refused.exit_code == 1 and why in refused.output, refused.output

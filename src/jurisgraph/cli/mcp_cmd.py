"""`jurisgraph mcp`: the MCP server over stdio (for Claude Desktop and other local assistants), run
as one user: the owner of ``--api-key`` (or ``JURISGRAPH_MCP_API_KEY``), or ``--user EMAIL``
(anyone who can run commands on this configuration can already read its database). Tools read
that user's workspaces. ``jurisgraph mcp tools`` lists the tools and their parameters.

Standard output carries the protocol only: logs go to stderr and the log file."""

from __future__ import annotations

import asyncio
import json

import typer

from jurisgraph.auth import service as auth
from jurisgraph.cli.common import console, container_scope, err_console, settings_or_exit
from jurisgraph.db import session_scope
from jurisgraph.errors import JurisgraphError
from jurisgraph.mcp_server import server as mcp_server
from jurisgraph.mcp_server.server import Caller

app = typer.Typer(
    help="The MCP server over stdio, as the user of --api-key or --user.",
    invoke_without_command=True,
)


@app.callback(invoke_without_command=True)
def mcp(
    ctx: typer.Context,
    api_key: str | None = typer.Option(
        None,
        "--api-key",
        envvar="JURISGRAPH_MCP_API_KEY",
        help="Run as the owner of this API key (prefer the JURISGRAPH_MCP_API_KEY variable).",
    ),
    user: str | None = typer.Option(None, "--user", help="Run as the user with this e-mail."),
) -> None:
    """Serve the MCP tools and resources over stdin/stdout until the client closes them."""
    if ctx.invoked_subcommand is not None:
        return
    if (api_key is None) == (user is None):
        err_console.print("[bold red]error:[/] give exactly one of --api-key and --user")
        raise typer.Exit(2)
    settings = settings_or_exit()
    with container_scope(settings) as container:
        secret = settings.auth.jwt_secret.get_secret_value()
        try:
            with session_scope(container.sessions) as session:
                if api_key is not None:
                    principal = auth.principal_for_bearer(session, api_key.strip(), secret=secret)
                else:
                    principal = auth.principal_for_email(session, user or "")
        except JurisgraphError as exc:
            err_console.print(f"[bold red]error:[/] {exc.message}")
            raise typer.Exit(1) from exc
        caller = Caller(container, principal)
        server = mcp_server.build(lambda _ctx: caller)
        server.run("stdio")


@app.command("tools")
def tools() -> None:
    """List the tools with their parameters (JSON schema)."""
    server = mcp_server.build(lambda _ctx: _no_caller())
    listed = asyncio.run(server.list_tools())
    for tool in listed:
        console.print(f"[bold]{tool.name}[/]: {(tool.description or '').split(chr(10))[0]}")
        console.print(json.dumps(tool.input_schema, ensure_ascii=False, indent=2), markup=False)


def _no_caller() -> Caller:
    raise JurisgraphError("listing only")

"""The `jurisgraph` command line."""

from __future__ import annotations

import json

import typer

from jurisgraph.cli import (
    ask_cmd,
    backup_cmd,
    common,
    config_cmd,
    datasets_cmd,
    db,
    documents_cmd,
    entrypoint_cmd,
    eval_cmd,
    graph_cmd,
    jobs_cmd,
    llm_cmd,
    mcp_cmd,
    preflight_cmd,
    search_cmd,
    serve,
    smoke_cmd,
    users_cmd,
    vectors_cmd,
    worker_cmd,
)
from jurisgraph.release import build_info

app = typer.Typer(
    name="jurisgraph",
    help="GraphRAG over the open data of Brazil's Superior Tribunal de Justiça (STJ).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    verbose: bool = typer.Option(
        False,
        "--verbose",
        "-v",
        help="Show info lines on the console (always kept in <home>/logs/jurisgraph.log).",
    ),
) -> None:
    """GraphRAG over the open data of Brazil's Superior Tribunal de Justiça (STJ)."""
    common.set_verbose(verbose)


app.add_typer(config_cmd.app, name="config")
app.add_typer(db.app, name="db")
app.add_typer(datasets_cmd.datasets_app, name="datasets")
app.add_typer(datasets_cmd.resources_app, name="resources")
app.add_typer(documents_cmd.app, name="documents")
app.add_typer(vectors_cmd.app, name="vectors")
app.add_typer(ask_cmd.queries_app, name="queries")
app.add_typer(llm_cmd.app, name="llm")
app.add_typer(graph_cmd.app, name="graph")
app.add_typer(jobs_cmd.app, name="jobs")
app.add_typer(users_cmd.users_app, name="users")
app.add_typer(users_cmd.keys_app, name="keys")
app.add_typer(backup_cmd.app, name="backup")
app.add_typer(mcp_cmd.app, name="mcp")
app.add_typer(eval_cmd.app, name="eval")
app.command()(datasets_cmd.ingest)
app.command()(search_cmd.index)
app.command()(search_cmd.search)
app.command()(ask_cmd.ask)
app.command()(serve.serve)
app.command()(serve.demo)
app.command()(worker_cmd.worker)
app.command()(preflight_cmd.preflight)
app.command()(smoke_cmd.smoke)
app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
    entrypoint_cmd.entrypoint
)


@app.command()
def version(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of lines."),
) -> None:
    """Print the app version, git revision, schema revision (database) and embedding signature."""
    with common.container_scope(migrate=False) as container:
        info = build_info(container.settings, container.engine).as_dict()
    if as_json:
        typer.echo(json.dumps(info))
        return
    for key, value in info.items():
        typer.echo(f"{key}: {value}")


if __name__ == "__main__":
    app()

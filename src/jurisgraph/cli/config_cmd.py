"""`jurisgraph config`: the effective configuration."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from jurisgraph.cli.common import console, err_console
from jurisgraph.config import load_settings

app = typer.Typer(help="Configuration.", no_args_is_help=True)


@app.command()
def show(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """Print the effective configuration with secrets masked, then any problem found."""
    settings = load_settings()
    data = settings.masked()
    if as_json:
        console.print_json(json.dumps(data))
    else:
        table = Table("setting", "value", title="jurisgraph configuration")
        for section, values in data.items():
            for key, value in values.items():
                table.add_row(f"{section}.{key}", "" if value is None else str(value))
        console.print(table)
    for problem in settings.problems():
        err_console.print(f"[yellow]warning:[/] {problem}")


@app.command("env-example")
def env_example() -> None:
    """Print the .env.example of a deployment: every variable, its default and what it does."""
    from jurisgraph.config.envfile import render

    typer.echo(render(), nl=False)

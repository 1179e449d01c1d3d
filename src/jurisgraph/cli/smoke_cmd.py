"""`jurisgraph smoke`: the smoke test of a running deployment, the gate of a canary."""

from __future__ import annotations

import json

import typer

from jurisgraph.cli.common import console
from jurisgraph.smoke import runner

MARKS = {"ok": "[green]✓[/]", "fail": "[red]✗[/]", "skipped": "[dim]–[/]"}


def smoke(
    base_url: str = typer.Option(
        ..., "--base-url", envvar="JURISGRAPH_SMOKE_BASE_URL", help="e.g. https://juris.example.org"
    ),
    api_key: str = typer.Option(
        ..., "--api-key", envvar="JURISGRAPH_SMOKE_API_KEY", help="An API key (jg_…)."
    ),
    email: str = typer.Option(
        "", "--email", envvar="JURISGRAPH_SMOKE_EMAIL", help="Also sign in as this user."
    ),
    password: str = typer.Option(
        "", "--password", envvar="JURISGRAPH_SMOKE_PASSWORD", help="Password of --email."
    ),
    metrics_token: str = typer.Option(
        "",
        "--metrics-token",
        envvar="JURISGRAPH_APP_METRICS_TOKEN",
        help="Bearer token of /metrics (production).",
    ),
    query: str = typer.Option(runner.Options.query, "--query", help="The question searched and answered."),
    timeout: float = typer.Option(30.0, "--timeout", min=1, help="Seconds per request."),
    header: list[str] = typer.Option(
        [],
        "--header",
        "-H",
        help="'Name: value' sent with every request (repeat), e.g. X-Jurisgraph-Canary: always.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Check a running deployment end to end; exit 1 naming the failing step."""
    headers = []
    for item in header:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            typer.echo(f"--header must be 'Name: value', not {item!r}", err=True)
            raise typer.Exit(2)
        headers.append((name.strip(), value.strip()))
    options = runner.Options(
        base_url=base_url,
        api_key=api_key,
        email=email,
        password=password,
        metrics_token=metrics_token,
        query=query,
        timeout_s=timeout,
        headers=tuple(headers),
    )
    report = runner.run(options)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        width = max(len(step.name) for step in report.steps)
        for step in report.steps:
            console.print(
                f"{MARKS[step.status]} {step.name:<{width}} {step.ms:>6} ms  {step.detail}", highlight=False
            )
    if not report.ok:
        typer.echo(f"smoke failed at step {report.failed[0]} (failed: {', '.join(report.failed)})", err=True)
        raise typer.Exit(1)
    if not as_json:
        console.print(f"[green]smoke passed[/] against {base_url}")

"""`jurisgraph preflight`: the deploy checklist, one ✓/✗ line per item, non-zero exit on any ✗."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from jurisgraph.cli.common import console, err_console
from jurisgraph.config import load_settings
from jurisgraph.logging import configure_logging
from jurisgraph.preflight import service
from jurisgraph.preflight.checks import Options
from jurisgraph.runtime import Container

MARKS = {"ok": "[green]✓[/]", "warn": "[yellow]![/]", "fail": "[red]✗[/]", "skip": "[dim]–[/]"}


def preflight(
    online: bool = typer.Option(
        False, "--online", help="Also make one minimal LLM call and embed one query (costed in the ledger)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
    backups: Path | None = typer.Option(
        None,
        "--backups",
        envvar="JURISGRAPH_BACKUP_DIR",
        help="Folder of the backups (their age is checked).",
    ),
    backup_max_age_hours: float = typer.Option(
        26.0,
        "--backup-max-age-hours",
        envvar="JURISGRAPH_BACKUP_MAX_AGE_HOURS",
        help="Newest verified backup older than this fails.",
    ),
    min_free_gb: float = typer.Option(
        2.0,
        "--min-free-gb",
        envvar="JURISGRAPH_PREFLIGHT_MIN_FREE_GB",
        help="Less free disk than this fails.",
    ),
) -> None:
    """Check that this configuration is ready to serve: database at head, secrets, admin, provider
    keys, vector store dimensions, storage, Redis, workers, backups and disk."""
    try:
        settings = load_settings()
    except ValueError as exc:
        err_console.print(f"[bold red]error:[/] invalid configuration: {exc}")
        raise typer.Exit(2) from exc
    configure_logging(settings.app.log_level, json=settings.log_json, console_level="ERROR", log_file=None)
    options = Options(
        online=online,
        backups_dir=backups,
        backup_max_age_hours=backup_max_age_hours,
        min_free_gb=min_free_gb,
    )
    container = Container.build(settings)
    try:
        results = service.run(container, options)
    finally:
        container.close()
    ok = service.passed(results)
    if as_json:
        typer.echo(json.dumps({"ok": ok, "checks": [r.as_dict() for r in results]}, ensure_ascii=False))
    else:
        width = max(len(r.name) for r in results)
        for r in results:
            console.print(f"{MARKS[r.status]} {r.name:<{width}}  {r.detail}", highlight=False)
        failed = [r.name for r in results if r.status == "fail"]
        if failed:
            console.print(f"[red]preflight failed:[/] {', '.join(failed)}")
        else:
            console.print("[green]preflight passed[/]")
    if not ok:
        raise typer.Exit(1)

"""`jurisgraph backup`: create, verify, restore, list and prune backups."""

from __future__ import annotations

from pathlib import Path

import typer

from jurisgraph.backups import service
from jurisgraph.cli.common import console, container_scope, err_console

app = typer.Typer(
    help=(
        "Backups of the database, the vector store and the document storage. The embedded vector "
        "store belongs to one process: stop `jurisgraph serve` before creating or restoring a backup "
        "of the embedded folder."
    ),
    no_args_is_help=True,
)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@app.command()
def create(
    dir: Path = typer.Argument(..., help="Folder that holds the backups (created if missing)."),
) -> None:
    """Write a new backup folder jurisgraph-<UTC time> under DIR with its manifest."""
    with container_scope(migrate=False) as container:
        entry = service.create(container, dir)
    manifest = entry.manifest
    console.print(
        f"backup {entry.path}: {sum(manifest.database.tables.values())} rows, "
        f"{sum(manifest.vectors.collections.values())} vector points, {manifest.storage.files} stored files, "
        f"{_megabytes(entry.size)}"
    )


@app.command()
def verify(dir: Path = typer.Argument(..., help="A backup folder (jurisgraph-…).")) -> None:
    """Check checksums and the manifest, then restore into a scratch target and compare counts."""
    with container_scope(migrate=False) as container:
        problems = service.verify(container, dir)
    if problems:
        for problem in problems:
            err_console.print(f"[bold red]mismatch:[/] {problem}")
        err_console.print(f"[bold red]backup {dir} FAILED verification ({len(problems)} problems)[/]")
        raise typer.Exit(1)
    service.record_verified(dir)
    console.print(f"[green]backup {dir} verified[/]: checksums, manifest and a scratch restore agree")


@app.command()
def restore(dir: Path = typer.Argument(..., help="A backup folder (jurisgraph-…).")) -> None:
    """Restore into the configured database, vector store and storage, which must be empty."""
    with container_scope(migrate=False) as container:
        report = service.restore(container, dir)
    for warning in report.warnings:
        err_console.print(f"[yellow]warning:[/] {warning}")
    console.print(
        f"restored {report.rows} rows, {report.points} vector points, {report.files} stored files; "
        f"database at {report.revision or '(empty)'}"
    )


@app.command("list")
def list_cmd(dir: Path = typer.Argument(..., help="Folder that holds the backups.")) -> None:
    """The complete backups under DIR, newest first."""
    entries = service.list_backups(dir)
    if not entries:
        console.print(f"no backups in {dir}")
        return
    for entry in entries:
        m = entry.manifest
        console.print(
            f"{entry.path.name}  {m.created_at}  {m.database.kind}  rev {m.schema_revision}  "
            f"{sum(m.database.tables.values())} rows  {sum(m.vectors.collections.values())} points  "
            f"{_megabytes(entry.size)}"
        )


@app.command()
def prune(
    dir: Path = typer.Argument(..., help="Folder that holds the backups."),
    keep: int = typer.Option(..., "--keep", min=1, help="How many of the newest complete backups to keep."),
) -> None:
    """Delete complete backups beyond the newest N (nothing else under DIR is touched)."""
    deleted = service.prune(dir, keep)
    for path in deleted:
        console.print(f"deleted {path}")
    console.print(f"{len(deleted)} deleted, {min(keep, len(service.list_backups(dir)))} kept")

"""`jurisgraph db`: migrations."""

from __future__ import annotations

import typer

from jurisgraph import migrations
from jurisgraph.cli.common import console, container_scope, err_console, settings_or_exit

app = typer.Typer(
    help="Database migrations (SQLite embedded, MySQL 8 / MariaDB in production).", no_args_is_help=True
)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Migrate the database up to REVISION (default: head)."""
    settings = settings_or_exit()
    migrations.upgrade(settings.database_url, revision)
    console.print(f"[green]database at[/] {revision}")


@app.command()
def downgrade(
    revision: str = typer.Argument(..., help="Target revision, or 'base' to drop everything."),
) -> None:
    """Migrate the database down to REVISION."""
    settings = settings_or_exit()
    migrations.downgrade(settings.database_url, revision)
    console.print(f"[yellow]database at[/] {revision}")


@app.command()
def current() -> None:
    """Print the database's revision and the newest one shipped."""
    with container_scope(migrate=False) as container:
        rev = migrations.current_revision(container.engine)
    console.print(f"current: {rev or '(empty)'}  head: {migrations.head_revision()}")


@app.command()
def check() -> None:
    """Exit non-zero when the database is not at head or differs from the models."""
    with container_scope(migrate=False) as container:
        rev = migrations.current_revision(container.engine)
        head = migrations.head_revision()
        if rev != head:
            err_console.print(f"[red]database at {rev or '(empty)'}, expected {head}[/]")
            raise typer.Exit(1)
        diffs = migrations.pending_differences(container.engine)
    if diffs:
        err_console.print("[red]schema differs from the models:[/]")
        for diff in diffs:
            err_console.print(f"  {diff}")
        raise typer.Exit(1)
    console.print(f"[green]database at head ({head}) and in sync with the models[/]")

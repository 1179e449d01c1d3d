"""Shared CLI plumbing: settings, the container and error reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from jurisgraph.config import Settings, load_settings
from jurisgraph.db import DATABASE_FAILURES, failure_message
from jurisgraph.errors import ConfigError, JurisgraphError
from jurisgraph.logging import configure_logging
from jurisgraph.runtime import Container

console = Console(stderr=False, soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)
_verbose = False


def set_verbose(verbose: bool) -> None:
    """``--verbose``: info lines on the console too (they always go to the log file)."""
    global _verbose
    _verbose = verbose


def settings_or_exit() -> Settings:
    """Load and validate the configuration; print every problem and exit 2 when invalid.

    Logging is configured for a command: warnings on the console (every line with
    ``--verbose`` or in production), every line at the configured level in the log file.
    """
    try:
        settings = load_settings()
        settings.validate_or_raise()
    except JurisgraphError as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}")
        raise typer.Exit(2) from exc
    except ValueError as exc:
        err_console.print(f"[bold red]error:[/] invalid configuration: {exc}")
        raise typer.Exit(2) from exc
    quiet = not (_verbose or settings.log_json)
    configure_logging(
        settings.app.log_level,
        json=settings.log_json,
        console_level="WARNING" if quiet else None,
        log_file=settings.log_file,
    )
    return settings


@contextmanager
def container_scope(settings: Settings | None = None, *, migrate: bool = True) -> Iterator[Container]:
    """A container for one command; errors of the hierarchy become a message and exit 1."""
    container = Container.build(settings or settings_or_exit())
    try:
        if migrate:
            _ensure_migrated(container)
        yield container
    except JurisgraphError as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}")
        raise typer.Exit(1) from exc
    except DATABASE_FAILURES as exc:
        err_console.print(f"[bold red]error:[/] {escape(failure_message(exc))}", highlight=False)
        raise typer.Exit(1) from exc
    finally:
        container.close()


def _ensure_migrated(container: Container) -> None:
    """Migrate the embedded SQLite database on first use; refuse a stale server database."""
    from jurisgraph import migrations

    if migrations.current_revision(container.engine) == migrations.head_revision():
        return
    if not container.settings.database.url:
        migrations.upgrade(container.settings.database_url)
        return
    raise ConfigError("the database is not at the current schema: run `jurisgraph db upgrade` first")

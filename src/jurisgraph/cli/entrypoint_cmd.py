"""`jurisgraph entrypoint ROLE [ARGS]...`: what a container starts. It waits for the database,
migrates once under a lock (N replicas starting together do not race) and creates the first admin,
then replaces itself with `jurisgraph serve` or `jurisgraph worker` (so the server or worker is the
process that receives SIGTERM), or exits after migrating (`migrate`, the migration Job)."""

from __future__ import annotations

import os
import sys
from enum import StrEnum

import typer

from jurisgraph import migrations
from jurisgraph.auth.service import ensure_admin
from jurisgraph.cli.common import console, container_scope, err_console, settings_or_exit
from jurisgraph.config import Settings
from jurisgraph.db import mask_url, session_scope
from jurisgraph.errors import JurisgraphError
from jurisgraph.migrations.locking import upgrade_once, wait_for_database, wait_for_schema


class Role(StrEnum):
    serve = "serve"
    worker = "worker"
    migrate = "migrate"


def _ensure_admin(settings: Settings) -> None:
    with container_scope(settings, migrate=False) as container, session_scope(container.sessions) as session:
        outcome = ensure_admin(
            session,
            email=settings.auth.admin_email,
            password=settings.auth.admin_password.get_secret_value() or None,
        )
    if outcome.generated_password:
        console.print(
            f"admin created: {outcome.email} password: {outcome.generated_password}"
            " (shown once; set ADMIN_PASSWORD to choose it)"
        )
    elif outcome.created:
        console.print(f"admin created: {outcome.email} (password from ADMIN_PASSWORD)")


def entrypoint(
    ctx: typer.Context,
    role: Role = typer.Argument(..., help="serve, worker, or migrate (migrate and exit)."),
    wait: float = typer.Option(
        60.0, "--wait", envvar="JURISGRAPH_ENTRYPOINT_WAIT_S", min=0, help="Seconds to wait for the database."
    ),
    migrate: bool = typer.Option(
        True,
        "--migrate/--no-migrate",
        envvar="JURISGRAPH_ENTRYPOINT_MIGRATE",
        help="Migrate (under the lock) before starting; off when a migration Job does it (then wait until"
        " the schema is at this version's head).",
    ),
    lock_timeout: float = typer.Option(
        600.0,
        "--lock-timeout",
        envvar="JURISGRAPH_ENTRYPOINT_LOCK_TIMEOUT_S",
        min=1,
        help="Seconds to wait for the migration lock.",
    ),
) -> None:
    """Wait for the database, migrate once under a lock, then exec `serve` or `worker` (extra
    arguments are passed on, e.g. `entrypoint serve --host 0.0.0.0`)."""
    settings = settings_or_exit()
    url = settings.database_url
    try:
        waited = wait_for_database(url, wait)
        console.print(f"database {mask_url(url)} reachable after {waited:.1f} s")
        if migrate or role is Role.migrate:
            outcome = upgrade_once(url, lock_timeout, after=lambda: _ensure_admin(settings))
            if outcome.migrated:
                console.print(f"migrated {outcome.before or '(empty)'} -> {outcome.after}")
            elif outcome.after != migrations.head_revision():
                console.print(f"database at {outcome.after}, newer than this version; not migrating")
            else:
                console.print(f"database already at {outcome.after}; nothing to migrate")
        else:
            revision = wait_for_schema(url, wait)
            console.print(f"database schema at {revision}")
    except JurisgraphError as exc:
        err_console.print(f"entrypoint: {exc.message}")
        raise typer.Exit(1) from exc
    if role is Role.migrate:
        return
    command = [sys.executable, "-m", "jurisgraph.cli.main", role.value, *ctx.args]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command)

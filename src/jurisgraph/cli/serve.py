"""`jurisgraph serve` and `jurisgraph demo`."""

from __future__ import annotations

import typer
import uvicorn

from jurisgraph import migrations
from jurisgraph.auth.service import ensure_admin
from jurisgraph.cli.common import console, container_scope, err_console, settings_or_exit
from jurisgraph.cli.datasets_cmd import print_ingest_report
from jurisgraph.cli.progress import pipeline_progress
from jurisgraph.config import Settings
from jurisgraph.datasets import service
from jurisgraph.db import session_scope


def run_server(settings: Settings, host: str | None, port: int | None) -> None:
    """Run uvicorn with the app factory; several workers only when production settings allow it."""
    workers = settings.app.workers
    if workers > 1 and not (settings.is_production and settings.database.url and settings.redis.url):
        err_console.print("[yellow]warning:[/] several workers need production settings; using 1")
        workers = 1
    uvicorn.run(
        "jurisgraph.app:app_from_env",
        factory=True,
        host=host or settings.app.host,
        port=port or settings.app.port,
        workers=workers,
        log_config=None,
        proxy_headers=True,
    )


def serve(
    host: str | None = typer.Option(None, help="Bind address (default from configuration)."),
    port: int | None = typer.Option(None, help="Port (default PORT or 8000)."),
) -> None:
    """Run the API and the web app."""
    settings = settings_or_exit()
    run_server(settings, host, port)


def bootstrap(settings: Settings) -> None:
    """Create the home folder, migrate, and create the first admin if none exists."""
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    with container_scope(settings) as container, session_scope(container.sessions) as session:
        outcome = ensure_admin(
            session,
            email=settings.auth.admin_email,
            password=settings.auth.admin_password.get_secret_value() or None,
        )
    if outcome.generated_password:
        console.print(
            f"[bold]Admin created:[/] {outcome.email}  password: [bold]{outcome.generated_password}[/]"
            "  (shown once; set ADMIN_PASSWORD to choose it)"
        )
    elif outcome.created:
        console.print(f"[bold]Admin created:[/] {outcome.email} (password from ADMIN_PASSWORD)")


def demo(
    host: str | None = typer.Option(None, help="Bind address."),
    port: int | None = typer.Option(None, help="Port."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Prepare everything, then exit without serving."),
) -> None:
    """The main job: migrate, load the bundled STJ sample, create an admin, serve on port 8000."""
    settings = settings_or_exit()
    bootstrap(settings)
    with container_scope(settings) as container, pipeline_progress() as progress:
        report = service.load_sample(container, progress, dense=False)
        with session_scope(container.sessions) as session:
            counts = service.corpus_counts(session)
    print_ingest_report(report, counts)
    if no_serve:
        return
    console.print(
        f"Serving on http://{host or settings.app.host}:{port or settings.app.port}"
        " — search works now (BM25); dense vectors are filled in the background."
    )
    run_server(settings, host, port)

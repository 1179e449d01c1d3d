"""`jurisgraph serve` and `jurisgraph demo`."""

from __future__ import annotations

from typing import Any

import typer
import uvicorn

from jurisgraph import migrations
from jurisgraph.auth.service import ensure_admin
from jurisgraph.cli.common import console, container_scope, err_console, settings_or_exit
from jurisgraph.cli.datasets_cmd import print_ingest_report
from jurisgraph.cli.http_protocol import HeadTimeoutProtocol
from jurisgraph.cli.progress import pipeline_progress
from jurisgraph.config import Settings
from jurisgraph.datasets import service
from jurisgraph.datasets import views as dataset_views
from jurisgraph.db import session_scope
from jurisgraph.metrics import prepare_multiprocess_dir


def workers_problems(settings: Settings) -> list[str]:
    """Why this configuration cannot run several server processes (empty when it can).

    The embedded Qdrant engine is single-process by design: one process owns its folder
    (an exclusive write-ahead-log lock), so N processes need a Qdrant server; SQLite has one
    writer, so they need a server database; jobs and rate limits are shared through Redis."""
    problems = []
    if not settings.vectors.qdrant_url:
        problems.append(
            "QDRANT_URL is not set: the embedded Qdrant engine is single-process (one process owns"
            " its folder), so several workers need a Qdrant server"
        )
    if not settings.database.url:
        problems.append("DATABASE_URL is not set: embedded SQLite has one writer; use MySQL 8 (or MariaDB)")
    if not settings.redis.url:
        problems.append("REDIS_URL is not set: workers share jobs and rate limits through Redis")
    return problems


def run_server(settings: Settings, host: str | None, port: int | None, workers: int | None = None) -> None:
    """Run uvicorn with the app factory. Several workers (``workers`` or JURISGRAPH_APP_WORKERS)
    need the production services: asked for on the command line without them, the command
    refuses and says why; asked for by the setting, it warns and runs one process."""
    count = workers if workers is not None else settings.app.workers
    problems = workers_problems(settings) if count > 1 else []
    if problems:
        reasons = "".join(f"\n  - {p}" for p in problems)
        if workers is not None:
            err_console.print(f"[red]error:[/] --workers {count} needs the production services:{reasons}")
            raise typer.Exit(2)
        err_console.print(
            f"[yellow]warning:[/] {count} workers need the production services;{reasons}\nusing 1"
        )
        count = 1
    if count > 1:
        # every server process writes its metrics there; /metrics of any of them adds them all up
        prepare_multiprocess_dir(settings.home / "metrics")
    uvicorn.run(
        "jurisgraph.app:app_from_env",
        factory=True,
        host=host or settings.app.host,
        port=port or settings.app.port,
        workers=count,
        log_config=None,
        proxy_headers=True,
        **server_limits(settings),
    )


def server_limits(settings: Settings) -> dict[str, Any]:
    """uvicorn's connection limits from the configuration: h11 with a request-head timeout
    (:class:`HeadTimeoutProtocol`) and a bounded head, the keep-alive timeout, the concurrency
    limit (503 beyond it), no ``Server`` header, and the grace period of in-flight requests on SIGTERM."""
    return {
        "http": HeadTimeoutProtocol,
        "h11_max_incomplete_event_size": settings.app.max_header_bytes,
        "timeout_keep_alive": settings.app.keep_alive_timeout_s,
        "limit_concurrency": settings.app.limit_concurrency or None,
        "server_header": False,
        "timeout_graceful_shutdown": settings.app.shutdown_grace_s,
    }


def serve(
    host: str | None = typer.Option(None, help="Bind address (default from configuration)."),
    port: int | None = typer.Option(None, help="Port (default PORT or 8000)."),
    workers: int | None = typer.Option(
        None,
        min=1,
        help="Server processes (default JURISGRAPH_APP_WORKERS or 1); more than 1 needs QDRANT_URL,"
        " DATABASE_URL and REDIS_URL (the embedded Qdrant engine is single-process).",
    ),
) -> None:
    """Run the API and the web app."""
    settings = settings_or_exit()
    run_server(settings, host, port, workers)


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
            counts = dataset_views.corpus_counts(session)
    print_ingest_report(report, counts)
    if no_serve:
        return
    console.print(
        f"Serving on http://{host or settings.app.host}:{port or settings.app.port}"
        " — search works now (BM25); dense vectors are filled in the background."
    )
    run_server(settings, host, port)

"""`jurisgraph jobs list|show|retry|cancel`: background jobs of every process."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from jurisgraph.cli.common import console, container_scope
from jurisgraph.datasets import service
from jurisgraph.datasets import views as dataset_views
from jurisgraph.db import session_scope

app = typer.Typer(
    help="Background jobs (ingestion, embedding…): list, show, retry, cancel.", no_args_is_help=True
)


@app.command("list")
def list_jobs(
    active: bool = typer.Option(False, "--active", help="Only queued, running and waiting jobs."),
    limit: int = typer.Option(20, "--limit", min=1, max=200),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
) -> None:
    """Jobs newest first."""
    with container_scope() as container, session_scope(container.sessions) as session:
        rows = dataset_views.list_jobs(session, container.jobs(), active=active, limit=limit)
    if as_json:
        for row in rows:
            console.print_json(json.dumps(row, default=str))
        return
    table = Table("id", "kind", "status", "stage", "attempts", "parent", "created", "error")
    for row in rows:
        table.add_row(
            row["id"],
            row["kind"],
            row["status"],
            row["stage"] or "",
            str(row["attempts"]),
            (row["parent_id"] or "")[:8],
            row["created_at"][:19],
            (row["error"] or "")[:60],
        )
    console.print(table)


@app.command()
def show(job_id: str = typer.Argument(..., help="The job id.")) -> None:
    """One job: state, stage, progress, result or error (JSON)."""
    with container_scope() as container, session_scope(container.sessions) as session:
        row = dataset_views.job(session, container.jobs(), job_id)
    console.print_json(json.dumps(row, default=str))


@app.command()
def retry(job_id: str = typer.Argument(..., help="A failed or cancelled job.")) -> None:
    """Queue a failed or cancelled job again (a worker, or this process embedded, runs it)."""
    with container_scope() as container:
        outcome = service.retry_job(container, job_id)
        if not container.settings.redis.url:
            container.jobs().wait(job_id)  # embedded: the job runs in this process
    console.print(f"job {job_id} queued again (was {outcome['previous_status']})")


@app.command()
def cancel(job_id: str = typer.Argument(..., help="A queued, running or waiting job.")) -> None:
    """Cancel a job and its children (a running one stops at its next heartbeat)."""
    with container_scope() as container:
        service.cancel_job(container, job_id)
    console.print(f"job {job_id} cancelled")

"""`jurisgraph datasets`, `jurisgraph resources` and `jurisgraph ingest`."""

from __future__ import annotations

from datetime import date, datetime

import typer
from rich.table import Table

from jurisgraph.cli.common import console, container_scope, err_console
from jurisgraph.cli.progress import pipeline_progress
from jurisgraph.datasets import service
from jurisgraph.datasets import views as dataset_views
from jurisgraph.db import session_scope
from jurisgraph.pipeline.ingest import IngestReport
from jurisgraph.pipeline.stages.selection import ResourceFilter

PORTAL_HELP = (
    "Portal URL or local mirror folder (default: configuration, https://dadosabertos.web.stj.jus.br)."
)

datasets_app = typer.Typer(help="STJ datasets (CKAN packages).", no_args_is_help=True)
resources_app = typer.Typer(help="Resources (files) of the datasets.", no_args_is_help=True)


def _since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise typer.BadParameter("use YYYY-MM-DD") from exc


@datasets_app.command("sync")
def sync_cmd(
    portal: str | None = typer.Option(None, "--portal", help=PORTAL_HELP),
    dataset: list[str] | None = typer.Option(
        None, "--dataset", help="Dataset slug (repeatable); default: all known."
    ),
) -> None:
    """Refresh datasets and resources from the portal (changed resources go back to pending)."""
    with container_scope() as container, pipeline_progress() as progress:
        report = service.sync_datasets(container, portal, dataset or None, progress)
    console.print(
        f"{report.datasets} datasets, {report.resources} resources "
        f"({report.new_resources} new, {report.changed_resources} changed)"
    )
    for slug in report.missing:
        err_console.print(f"[yellow]not on the portal:[/] {slug}")


@datasets_app.command("list")
def list_cmd() -> None:
    """Datasets and their resources by status."""
    with container_scope() as container, session_scope(container.sessions) as session:
        rows = dataset_views.overview(session)
    table = Table("dataset", "title", "resources by status")
    for row in rows:
        statuses = row["statuses"]
        assert isinstance(statuses, dict)
        table.add_row(
            str(row["slug"]), str(row["title"]), ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        )
    console.print(table)


@resources_app.command("download")
def download_cmd(
    portal: str | None = typer.Option(None, "--portal", help=PORTAL_HELP),
    dataset: str | None = typer.Option(None, "--dataset", help="Only this dataset slug."),
    resource: str | None = typer.Option(None, "--resource", help="Only this resource id."),
    since: str | None = typer.Option(None, "--since", help="Only resources dated on or after YYYY-MM-DD."),
    force: bool = typer.Option(False, "--force", help="Download even when unchanged."),
) -> None:
    """Download resources that are new or changed (conditional, resumable, size-limited)."""
    flt = ResourceFilter(dataset=dataset, resource=resource, since=_since(since))
    with container_scope() as container, pipeline_progress() as progress:
        report = service.download_resources(container, portal, flt, force=force, progress=progress)
    console.print(
        f"{report.downloaded} downloaded, {report.unchanged} unchanged, {len(report.failed)} failed"
    )
    for problem in report.failed:
        err_console.print(f"[red]failed:[/] {problem}")
    if report.failed:
        raise typer.Exit(1)


@resources_app.command("remove")
def remove_cmd(resource: str = typer.Argument(..., help="Resource id (CKAN id).")) -> None:
    """Remove a resource and exactly what only it contributed to the graph."""
    with container_scope() as container:
        removed = service.remove(container, resource)
    console.print(f"removed {removed} documents")


def ingest(
    portal: str | None = typer.Option(None, "--portal", help=PORTAL_HELP),
    dataset: str | None = typer.Option(None, "--dataset", help="Only this dataset slug."),
    resource: str | None = typer.Option(None, "--resource", help="Only this resource id."),
    since: str | None = typer.Option(None, "--since", help="Only resources dated on or after YYYY-MM-DD."),
    force: bool = typer.Option(False, "--force", help="Re-process even unchanged resources."),
    offline: bool = typer.Option(False, "--offline", help="Skip sync and download; process what is stored."),
    sample: bool = typer.Option(False, "--sample", help="Ingest the bundled real STJ sample."),
) -> None:
    """Sync, download, parse, chunk, extract, build the graph and its communities."""
    flt = ResourceFilter(dataset=dataset, resource=resource, since=_since(since))
    with container_scope() as container, pipeline_progress() as progress:
        if sample:
            report = service.load_sample(container, progress)
        else:
            report = service.ingest(container, portal, flt, force=force, offline=offline, progress=progress)
        with session_scope(container.sessions) as session:
            counts = dataset_views.corpus_counts(session)
    print_ingest_report(report, counts)
    if report.process and report.process.failed:
        raise typer.Exit(1)


def print_ingest_report(report: IngestReport, counts: dict[str, int]) -> None:
    """Summarise an ingestion run."""
    if report.process:
        p = report.process
        console.print(
            f"processed {p.resources} resources ({p.skipped_unchanged} unchanged): "
            f"{p.documents} records, {p.records_skipped} skipped"
        )
    if report.communities:
        console.print(f"{report.communities.communities} communities on {report.communities.levels} levels")
    console.print(
        f"corpus: {counts['documents']} documents, {counts['nodes']} entities, {counts['edges']} relations"
    )
    for problem in report.problems:
        err_console.print(f"[yellow]problem:[/] {problem}")

"""`jurisgraph vectors`: export, import, Chroma migration, verification, re-index, stats, drop."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from jurisgraph.cli.common import console, container_scope, err_console
from jurisgraph.cli.progress import pipeline_progress
from jurisgraph.vectors_ops import service

app = typer.Typer(
    help=(
        "Vector store operations for deploys and model changes. The embedded store belongs to one "
        "process: stop `jurisgraph serve` before running these on the embedded folder."
    ),
    no_args_is_help=True,
)

COLLECTION_HELP = "Collection or alias (default: the 'chunks' alias)."


@app.command("export")
def export_cmd(
    out: Path = typer.Option(..., "--out", help="File to write (.jsonl or .parquet)."),
    fmt: str | None = typer.Option(None, "--format", help="jsonl or parquet (default: from the suffix)."),
    collection: str = typer.Option(service.CHUNKS, "--collection", help=COLLECTION_HELP),
) -> None:
    """Stream every point (id, dense, sparse, payload) to a file, header first; memory stays constant."""
    with container_scope() as container, pipeline_progress() as progress:
        report = service.export(container, out, fmt=fmt, collection=collection, progress=progress)
    console.print(f"{report.points} points of {report.collection} written to {report.path} ({report.format})")


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="An export made by `vectors export`."),
    collection: str | None = typer.Option(
        None, "--collection", help="Target collection KIND__MODEL__DIM (default: the one in the header)."
    ),
    alias: str | None = typer.Option(None, "--alias", help="Point this alias at the collection when done."),
    batch: int = typer.Option(256, "--batch", min=1, help="Points per upsert."),
    fmt: str | None = typer.Option(None, "--format", help="jsonl or parquet (default: from the suffix)."),
) -> None:
    """Load an export in batches with retries; an interrupted import resumes from FILE.import-state.json."""
    with container_scope() as container, pipeline_progress() as progress:
        report = service.import_(
            container, file, collection=collection, alias=alias, batch=batch, fmt=fmt, progress=progress
        )
    resumed = f", resumed after {report.resumed_from}" if report.resumed_from else ""
    console.print(f"{report.records} records in {report.collection} ({report.written} written now{resumed})")
    if report.alias:
        console.print(f"alias {report.alias} → {report.collection}")


@app.command("migrate-chroma")
def migrate_chroma_cmd(
    path: Path = typer.Argument(..., help="Folder of a Chroma PersistentClient store."),
    collection: str | None = typer.Option(
        None, "--collection", help="Chroma collection (default: the only one)."
    ),
    to: str | None = typer.Option(
        None, "--to", help="Target KIND__MODEL__DIM (default: chunks__chroma-<name>__<dim>)."
    ),
    workspace_id: int | None = typer.Option(
        None, "--workspace-id", help="Stamp this workspace on points whose metadata has none."
    ),
    batch: int = typer.Option(256, "--batch", min=1, help="Records per page."),
) -> None:
    """Copy a Chroma collection (ids, embeddings, documents, metadatas) and add sparse vectors."""
    with container_scope() as container, pipeline_progress() as progress:
        report = service.migrate_chroma(
            container,
            path,
            source=collection,
            to=to,
            workspace_id=workspace_id,
            batch=batch,
            progress=progress,
        )
    console.print(
        f"{report.points} points of Chroma {report.source!r} → {report.collection} ({report.dim}-d)"
    )


@app.command("verify")
def verify_cmd(
    sample: int = typer.Option(100, "--sample", min=1, help="Number of query points."),
    k: int = typer.Option(10, "--k", min=1, help="Neighbours compared per query."),
    against: str | None = typer.Option(
        None,
        "--against",
        help="Source of truth: a collection/alias, an export file, or chroma:PATH[#NAME] (default: itself).",
    ),
    collection: str = typer.Option(service.CHUNKS, "--collection", help=COLLECTION_HELP),
    threshold: float = typer.Option(0.95, "--threshold", min=0.0, max=1.0, help="Minimum recall@k."),
    seed: int = typer.Option(service.DEFAULT_SEED, "--seed", help="Seed of the sample."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Recall@k against an exact cosine search over the source vectors; exits 1 below the threshold."""
    with container_scope() as container:
        report = service.verify(
            container,
            collection=collection,
            against=against,
            sample=sample,
            k=k,
            threshold=threshold,
            seed=seed,
        )
    if as_json:
        data = {
            "target": report.target,
            "source": report.source,
            "k": report.k,
            "sample": report.sample,
            "recall": report.recall,
            "self_hit": report.self_hit,
            "target_count": report.target_count,
            "source_count": report.source_count,
            "passed": report.passed,
        }
        console.print_json(json.dumps(data))
    else:
        console.print(
            f"{report.target} vs {report.source}: recall@{report.k} {report.recall:.4f}, "
            f"self-hit {report.self_hit:.4f} over {report.sample} queries; "
            f"points {report.target_count} (source {report.source_count})"
        )
        for point_id, recall in report.worst:
            console.print(f"  low recall {recall:.2f}: {point_id}")
    if not report.passed:
        why = "point counts differ" if not report.counts_match else f"recall below {report.threshold}"
        err_console.print(f"[bold red]verification failed:[/] {why}")
        raise typer.Exit(1)


@app.command("reindex")
def reindex_cmd(
    to: str = typer.Option(..., "--to", help="PROVIDER:MODEL[:DIM], e.g. local:multilingual-e5-small."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only print the plan."),
    force_config_mismatch: bool = typer.Option(
        False, "--force-config-mismatch", help="Build even though the configured model differs from --to."
    ),
    swap: bool = typer.Option(
        True, "--swap/--no-swap", help="Move the 'chunks' alias when the check passes."
    ),
    source: str = typer.Option("auto", "--source", help="db (chunks table), live (current points) or auto."),
    batch: int | None = typer.Option(
        None, "--batch", min=1, help="Texts per batch (default: embedding batch)."
    ),
    check_sample: int = typer.Option(20, "--check-sample", min=1, help="Chunk-text queries in the check."),
    check_k: int = typer.Option(10, "--check-k", min=1, help="A query must find its chunk in this top k."),
    min_self_hit: float = typer.Option(0.9, "--min-self-hit", min=0.0, max=1.0, help="Share that must."),
) -> None:
    """Build a new chunk collection for another embedding model, check it, and swap the alias.

    The configured embedding settings (JURISGRAPH_EMBEDDING_PROVIDER/MODEL/DIM) are what
    searches use to embed queries, so they must already name the --to model: otherwise the
    command refuses, unless --dry-run (plan only) or --force-config-mismatch (build anyway;
    searches fail until the configuration is switched). Searches keep using the old
    collection while this runs; the old one stays until `jurisgraph vectors drop NAME`.
    """
    with container_scope() as container, pipeline_progress() as progress:
        report = service.reindex(
            container,
            to,
            dry_run=dry_run,
            force_config_mismatch=force_config_mismatch,
            swap=swap,
            source=source,
            batch=batch,
            sample=check_sample,
            k=check_k,
            min_self_hit=min_self_hit,
            progress=progress,
        )
    old = report.old_collection or "(none)"
    if report.dry_run:
        match = "matches" if report.config_matches else "does NOT match"
        console.print(
            f"plan: {report.planned} points from {report.source} into {report.new_collection}; "
            f"live now: {old}; the configured embedding model {match} {report.target}"
        )
        return
    console.print(
        f"{report.written} points written to {report.new_collection} ({report.skipped} without text)"
    )
    if report.check is not None:
        console.print(
            f"check: {report.check.self_hit:.0%} of {report.check.queries} queries found their chunk"
        )
    if report.swapped:
        console.print(f"alias chunks → {report.new_collection} (was {old}, kept until `vectors drop`)")


@app.command("stats")
def stats_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Collections with their point counts, kind, model, dimension and aliases; marks the live one."""
    with container_scope() as container:
        rows = service.stats(container.vector_index())
    if as_json:
        console.print_json(json.dumps([service.collection_dict(r) for r in rows]))
        return
    if not rows:
        console.print("no vector collections")
    for r in rows:
        aliases = f", alias {', '.join(r.aliases)}" if r.aliases else ""
        dim = f", {r.dim}-d" if r.dim else ""
        live = " [bold green](live)[/]" if r.live else ""
        console.print(f"{r.name}  {r.points} points{dim}{aliases}{live}", highlight=False)


@app.command("drop")
def drop_cmd(
    name: str = typer.Argument(..., help="Physical collection name (see `vectors stats`)."),
    force: bool = typer.Option(False, "--force", help="Drop even if an alias serves it."),
) -> None:
    """Delete a collection, e.g. the old one after a re-index; refused while an alias serves it."""
    with container_scope() as container:
        service.drop(container, name, force=force)
    console.print(f"dropped {name}")


@app.command("alias")
def alias_cmd(
    name: str = typer.Argument(..., help="Physical collection name (see `vectors stats`)."),
) -> None:
    """Point the alias of NAME's kind at it in one atomic step: after a re-index, back at the previous
    model's collection (a rollback; set the embedding settings back to that model too)."""
    with container_scope() as container:
        alias, before = service.point_alias(container, name)
    console.print(f"alias {alias} → {name} (was {before or 'none'})")

"""`jurisgraph index` and `jurisgraph search`."""

from __future__ import annotations

import json
from datetime import date

import typer
from rich.table import Table

from jurisgraph.cli.common import console, container_scope
from jurisgraph.cli.progress import pipeline_progress
from jurisgraph.datasets import service as datasets
from jurisgraph.db import session_scope
from jurisgraph.search import service
from jurisgraph.workspaces.service import readable_workspaces


def index(
    dense: bool = typer.Option(True, "--dense/--no-dense", help="Also compute dense vectors (slow on CPU)."),
) -> None:
    """Index pending chunks: sparse vectors first, then dense vectors through the embedding cache."""
    with container_scope() as container, pipeline_progress() as progress:
        report = datasets.index(container, dense=dense, progress=progress)
    console.print(f"{report.sparse_points} sparse points, {report.dense_points} dense vectors written")


def search(
    query: str = typer.Argument(..., help="Question or keywords."),
    mode: str = typer.Option("hybrid", help="hybrid, dense or sparse."),
    k: int = typer.Option(10, min=1, max=service.MAX_K, help="Number of passages."),
    dataset: str | None = typer.Option(None, help="Dataset slug."),
    orgao: str | None = typer.Option(None, help="Órgão julgador as published (e.g. 'PRIMEIRA TURMA')."),
    relator: str | None = typer.Option(None, help="Relator as published (e.g. 'HERMAN BENJAMIN')."),
    classe: str | None = typer.Option(None, help="Classe (e.g. REsp)."),
    date_from: str | None = typer.Option(None, "--from", help="YYYY-MM-DD."),
    date_to: str | None = typer.Option(None, "--to", help="YYYY-MM-DD."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Retrieve passages with their citation metadata."""
    filters = service.SearchFilters(
        dataset=dataset,
        orgao_julgador=orgao,
        relator=relator,
        classe=classe,
        date_from=date.fromisoformat(date_from) if date_from else None,
        date_to=date.fromisoformat(date_to) if date_to else None,
    )
    with container_scope() as container, session_scope(container.sessions) as session:
        workspaces = readable_workspaces(session)
        passages = service.search(container.retrieval(), query, workspaces, mode=mode, k=k, filters=filters)  # type: ignore[arg-type]
    if as_json:
        console.print_json(json.dumps([p.as_dict() for p in passages], ensure_ascii=False))
        return
    table = Table("#", "score", "fonte", "trecho")
    for p in passages:
        source = " · ".join(x for x in (p.title, p.relator, p.date) if x)
        table.add_row(str(p.rank), f"{p.score:.3f}", source, p.text[:240].replace("\n", " "))
    console.print(table)

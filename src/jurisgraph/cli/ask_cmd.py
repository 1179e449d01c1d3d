"""`jurisgraph ask` and `jurisgraph queries` (the audit trail)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from jurisgraph.ask import audit, service
from jurisgraph.ask.service import AskOptions
from jurisgraph.cli.common import console, container_scope, err_console
from jurisgraph.db import session_scope
from jurisgraph.search.service import SearchFilters
from jurisgraph.workspaces.service import readable_workspaces

queries_app = typer.Typer(help="The audit trail of questions (CNJ Res. 615/2025).", no_args_is_help=True)


def ask(
    question: str = typer.Argument(..., help="A pergunta, em português."),
    mode: str = typer.Option("auto", help="naive, local, global, hybrid, graph or auto."),
    dataset: str | None = typer.Option(None, help="Dataset slug."),
    orgao: str | None = typer.Option(None, help="Órgão julgador as published (e.g. 'CORTE ESPECIAL')."),
    relator: str | None = typer.Option(None, help="Relator as published (e.g. 'OG FERNANDES')."),
    classe: str | None = typer.Option(None, help="Classe (e.g. REsp)."),
    date_from: str | None = typer.Option(None, "--from", help="YYYY-MM-DD."),
    date_to: str | None = typer.Option(None, "--to", help="YYYY-MM-DD."),
    k: int = typer.Option(8, min=1, max=50, help="Passages to retrieve."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole result as JSON."),
) -> None:
    """Answer a question with numbered citations (extractive without an LLM); stored for audit."""
    filters = SearchFilters(
        dataset=dataset,
        orgao_julgador=orgao,
        relator=relator,
        classe=classe,
        date_from=date.fromisoformat(date_from) if date_from else None,
        date_to=date.fromisoformat(date_to) if date_to else None,
    )
    with container_scope() as container, session_scope(container.sessions) as session:
        workspaces = readable_workspaces(session)
        chat = service.configured_chat(
            container.configured_gateway(), workspace_id=workspaces[0] if workspaces else None
        )
        options = AskOptions(mode=mode, filters=filters, k=k, rerank=container.settings.llm.rerank)
        result = service.ask(
            session, container.retrieval(), container.name_indexes, question, workspaces, options, chat=chat
        )
    if as_json:
        console.print_json(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    header = (
        f"modo: {result.mode} · {result.answer_kind} · {result.duration_ms} ms · consulta #{result.query_id}"
    )
    console.print(f"[dim]{header}[/]")
    if result.note:
        console.print(f"[bold yellow]{result.note}[/]")
    console.print(result.answer, markup=False, highlight=False)
    if result.citations:
        console.print()
        table = Table("n", "fonte", "processo · órgão · relator · data", "caracteres", "link")
        for citation in result.citations:
            src = citation.source
            meta = " · ".join(x for x in (src.processo, src.orgao_julgador, src.relator, src.date) if x)
            span = f"{src.start}–{src.end}" if src.start is not None else ""
            table.add_row(
                f"[{citation.n}]",
                f"{src.document_key}\n{src.title}",
                meta,
                span,
                src.stj_link or src.source_url or "",
            )
        console.print(table)
    if not result.grounding.ok:
        console.print(
            f"[yellow]verificação: {len(result.grounding.uncited_sentences)} frase(s) sem citação, "
            f"citações inexistentes: {list(result.grounding.unknown)}[/]"
        )


@queries_app.command("export")
def export(
    fmt: str = typer.Option("jsonl", "--format", help="jsonl or csv."),
    out: Path = typer.Option(..., "--out", help="File to write.", dir_okay=False, writable=True),
) -> None:
    """Write every stored question (with its reasoning chain) as JSONL or CSV."""
    if fmt not in audit.FORMATS:
        err_console.print(f"[bold red]error:[/] unknown format {fmt!r}; use jsonl or csv")
        raise typer.Exit(2)
    with container_scope() as container, session_scope(container.sessions) as session:
        count = 0
        with out.open("w", encoding="utf-8", newline="") as handle:
            for line in audit.export_lines(session, fmt):
                handle.write(line)
                count += 1
    rows = count - 1 if fmt == "csv" else count
    console.print(f"{rows} consulta(s) exportada(s) para {out}")


@queries_app.command("list")
def list_queries(limit: int = typer.Option(20, min=1, max=500, help="Rows to show.")) -> None:
    """The latest questions."""
    with container_scope() as container, session_scope(container.sessions) as session:
        rows = audit.list_rows(session, limit=limit)
    table = Table("#", "quando", "modo", "tipo", "pergunta", "ms")
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["created_at"])[:19],
            row["query_type"],
            row["answer_kind"],
            row["query"][:80],
            str(row["duration_ms"]),
        )
    console.print(table)

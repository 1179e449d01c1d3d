"""`jurisgraph graph query`: typed graph queries (lists, counts, top N) from the command line."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from jurisgraph.cli.common import console, container_scope, err_console
from jurisgraph.db import session_scope
from jurisgraph.errors import InvalidInput
from jurisgraph.graph import query_service
from jurisgraph.workspaces.service import readable_workspaces

app = typer.Typer(help="Exact graph queries: lists and counts with cited records.", no_args_is_help=True)


def _filters(values: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for value in values:
        name, sep, raw = value.partition("=")
        if not sep or not raw:
            raise InvalidInput(f"filter {value!r}: use name=value (orgao=S1, tipo=Tema, year_from=2015…)")
        out[name.strip()] = raw.strip()
    return out


@app.command("query")
def query(
    relation: str | None = typer.Option(
        None, help="temas, relator_de, cita, origina or dispositivos (or use --question)."
    ),
    anchor: list[str] = typer.Option([], "--anchor", help="Entity key, e.g. ministro:sergio_kukina."),
    filter_: list[str] = typer.Option(
        [], "--filter", help="name=value: orgao, classe, year_from, year_to, date_field, situacao, tipo."
    ),
    count: bool = typer.Option(False, "--count", help="Count the rows."),
    top: int | None = typer.Option(None, "--top", min=1, max=1000, help="Top N by count."),
    earliest: bool = typer.Option(False, "--earliest", help="The earliest row by date."),
    latest: bool = typer.Option(False, "--latest", help="The latest row by date."),
    question: str | None = typer.Option(None, "--question", "-q", help="A Portuguese list/count question."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole answer as JSON."),
) -> None:
    """Run a typed graph query (default aggregate: --list) and print the sentence and the table."""
    chosen = [
        name
        for name, on in (
            ("count", count),
            ("top", top is not None),
            ("earliest", earliest),
            ("latest", latest),
        )
        if on
    ]
    if len(chosen) > 1:
        err_console.print("[bold red]error:[/] choose one of --count, --top, --earliest, --latest")
        raise typer.Exit(2)
    if (relation is None) == (question is None):
        err_console.print("[bold red]error:[/] give --relation or --question")
        raise typer.Exit(2)
    with container_scope() as container, session_scope(container.sessions) as session:
        workspaces = readable_workspaces(session)
        if question is not None:
            answer = query_service.answer_question(session, workspaces, question)
        else:
            typed = query_service.build_query(
                relation or "", anchor, _filters(filter_), chosen[0] if chosen else "list", top or 10
            )
            answer = query_service.run(session, workspaces, typed)
    if as_json:
        console.print_json(json.dumps(answer.as_dict(), ensure_ascii=False))
        return
    console.print(answer.sentence, markup=False, highlight=False)
    table = Table("#", "chave", "registro", "data", "nº", "fonte")
    numbers = {c.document_key: n for n, c in enumerate(answer.citations, start=1)}
    for row in answer.rows:
        record = row.record
        table.add_row(
            str(numbers.get(record.document_key, "")) if record else "",
            row.key,
            row.label,
            row.day.isoformat() if row.day else "",
            "" if row.count is None else str(row.count),
            f"{record.document_key} · {record.title}" if record else "",
        )
    console.print(table)

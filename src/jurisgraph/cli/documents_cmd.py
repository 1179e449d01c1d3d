"""`jurisgraph documents`: upload files into a user's private workspace, list and delete them.

Without ``--user``, commands act for the only user of the installation, or else its only admin
(``jurisgraph users create-admin`` makes one); with several of either, ``--user EMAIL`` is required.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from jurisgraph.auth import service as auth
from jurisgraph.cli.common import console, container_scope, err_console
from jurisgraph.cli.progress import pipeline_progress
from jurisgraph.db import session_scope
from jurisgraph.documents import lifecycle, service
from jurisgraph.errors import JurisgraphError

app = typer.Typer(help="Your uploaded documents (PDF, DOCX, TXT, HTML; private).", no_args_is_help=True)
USER = typer.Option(None, "--user", help="The owner's e-mail (default: the only user, else the only admin).")


@app.command("add")
def add(
    files: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, help="Files to upload."
    ),
    user: str | None = USER,
) -> None:
    """Upload files and process them before returning (progress shown); a refused file refuses all."""
    incoming = [service.IncomingFile(name=path.name, data=path.read_bytes()) for path in files]
    with container_scope() as container:
        with session_scope(container.sessions) as session:
            user_id = service.owner_for_cli(session, user)
            rows = service.upload(
                session, container.storage(), container.settings, user_id=user_id, files=incoming
            )
            added = [(row.id, row.workspace_id, row.filename) for row in rows]
        failed = 0
        with pipeline_progress() as progress:
            for document_id, workspace_id, name in added:
                try:
                    report = lifecycle.process(container, document_id, workspace_id, progress=progress)
                except JurisgraphError as exc:
                    failed += 1
                    err_console.print(f"[red]{name}[/]: {exc.message}")
                    continue
                console.print(
                    f"document {document_id} {name}: {report.status}, "
                    f"{report.pages} pages, {report.chunks} chunks"
                )
    if failed:
        raise typer.Exit(1)


@app.command("list")
def list_cmd(user: str | None = USER) -> None:
    """The user's documents with their status."""
    with container_scope() as container, session_scope(container.sessions) as session:
        user_id = service.owner_for_cli(session, user)
        principal = auth.principal_of(auth.get_user(session, user_id), "api_key")
        rows, total = service.listing(session, principal, limit=1000, offset=0)
        table = Table("id", "name", "pages", "size", "status", "chunks", "error")
        for row in rows:
            data = service.as_dict(row)
            table.add_row(
                str(data["id"]),
                str(data["name"]),
                str(data["pages"]),
                str(data["size"]),
                str(data["status"]),
                str(data["chunk_count"]),
                str(data["error"] or ""),
            )
    console.print(table)
    console.print(f"{total} documents")


@app.command("delete")
def delete(document_id: int = typer.Argument(..., help="The document's id (see `documents list`).")) -> None:
    """Delete a document and everything derived from it (file, chunks, vectors, private graph)."""
    with container_scope() as container:
        with session_scope(container.sessions) as session:
            row = service.any_document(session, document_id)
            owner = auth.principal_of(auth.get_user(session, row.user_id), "api_key") if row.user_id else None
        if owner is None:
            raise JurisgraphError(f"document {document_id} has no owner", code="not_found", status_code=404)
        lifecycle.delete(container, owner, document_id)
    console.print(f"deleted document {document_id}")

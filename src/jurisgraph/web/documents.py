"""The Documentos pages: the signed-in user's uploads (drop files, watch them reach ``embedded``,
re-process, delete) and one page of an uploaded document, which citations open."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from jurisgraph.deps import MAX_ID, ContainerDep, SessionDep
from jurisgraph.documents import service
from jurisgraph.web import access
from jurisgraph.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(access.page_principal)])


@router.get("/documentos", response_class=HTMLResponse)
def documents_page(
    request: Request, session: SessionDep, container: ContainerDep, principal: access.PageUserDep
) -> HTMLResponse:
    """Documentos: upload PDF, DOCX, TXT or HTML files (private), their status and progress."""
    rows, _ = service.listing(session, principal, limit=500, offset=0)
    storage = container.settings.storage
    return render(
        request,
        "documents.html",
        documents=[service.as_dict(row) for row in rows],
        max_upload_mb=storage.max_upload_mb,
        quota_mb=storage.quota_mb,
    )


@router.get("/documentos/{document_id}", response_class=HTMLResponse)
def document_page(
    request: Request,
    document_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    principal: access.PageUserDep,
    pagina: int = Query(1, ge=1, le=100_000),
) -> HTMLResponse:
    """One page of an owned uploaded document (``?pagina=N``), with links to the others."""
    row = service.owned(session, principal, document_id)
    pages = service.page_texts(row)
    number = min(pagina, len(pages)) if pages else 1
    return render(
        request,
        "document.html",
        document=service.as_dict(row),
        pages=[p["number"] for p in pages],
        page=pages[number - 1] if pages else None,
    )

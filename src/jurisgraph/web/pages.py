"""Server-rendered pages (Jinja2 + HTMX)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select

from jurisgraph.models import Chunk, Community, Document, GraphEdge, GraphNode

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    """Dashboard: corpus and graph counts."""
    container = request.app.state.container
    with container.sessions() as session:
        stats = {
            label: session.scalar(select(func.count()).select_from(model)) or 0
            for label, model in (
                ("Documentos", Document),
                ("Trechos", Chunk),
                ("Entidades", GraphNode),
                ("Relações", GraphEdge),
                ("Comunidades", Community),
            )
        }
    return templates.TemplateResponse(request, "dashboard.html", {"stats": stats})


def install(app: FastAPI) -> None:
    """Mount the pages and the vendored static files."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

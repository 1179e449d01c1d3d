"""Server-rendered pages (Jinja2, HTMX, cytoscape.js): painel, datasets, grafo, comunidades, logs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from jurisgraph.ask import service as ask
from jurisgraph.ask import web as ask_web
from jurisgraph.datasets import service as datasets
from jurisgraph.deps import ContainerDep, PrincipalDep, SessionDep, WorkspacesDep, enforce_query_limit
from jurisgraph.errors import JurisgraphError, NotFound
from jurisgraph.graph import service as graph
from jurisgraph.search import service as search

HERE = Path(__file__).resolve().parent
#: the dashboard's counters, in order: label → key of :func:`jurisgraph.datasets.service.corpus_stats`
DASHBOARD_STATS = {
    "Documentos": "documents",
    "Trechos": "chunks",
    "Entidades": "nodes",
    "Relações": "edges",
    "Comunidades": "communities",
    # dense vectors are filled in by a background job after ingestion: show how far it got
    "Trechos com vetor denso": "dense_chunks",
}
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)


def _page(request: Request, name: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep, workspaces: WorkspacesDep) -> HTMLResponse:
    """Painel: corpus and graph counts, entity types, latest pipeline actions."""
    counts = datasets.corpus_stats(session)
    stats = {label: counts[key] for label, key in DASHBOARD_STATS.items()}
    logs = datasets.latest_logs(session, 10)
    return _page(request, "dashboard.html", stats=stats, types=graph.stats(session, workspaces), logs=logs)


@router.get("/datasets", response_class=HTMLResponse)
def datasets_page(request: Request, session: SessionDep) -> HTMLResponse:
    """Datasets and their resources by status, with an ingestion button."""
    return _page(request, "datasets.html", datasets=datasets.overview(session))


@router.get("/grafo", response_class=HTMLResponse)
def graph_page(
    request: Request,
    session: SessionDep,
    workspaces: WorkspacesDep,
    q: str | None = Query(None, max_length=200),
    tipo: str | None = Query(None),
    entidade: str | None = Query(None),
) -> HTMLResponse:
    """Entity search, the neighbourhood view and one entity's relations and sources."""
    found = graph.search_entities(session, workspaces, q, tipo or None, 40) if (q or tipo) else []
    detail = None
    if entidade:
        try:
            detail = graph.entity_detail(session, workspaces, entidade)
        except NotFound:
            detail = None
    return _page(
        request,
        "graph.html",
        q=q or "",
        tipo=tipo or "",
        found=found,
        detail=detail,
        types=sorted(graph.stats(session, workspaces)),
    )


@router.get("/comunidades", response_class=HTMLResponse)
def communities_page(
    request: Request,
    session: SessionDep,
    workspaces: WorkspacesDep,
    nivel: int | None = Query(None, ge=0),
    id: str | None = Query(None),
) -> HTMLResponse:
    """Communities ranked, and one community's report and members."""
    detail = None
    if id:
        try:
            detail = graph.community_detail(session, workspaces, id)
        except NotFound:
            detail = None
    rows = graph.list_communities(session, workspaces, nivel, 100)
    return _page(request, "communities.html", rows=rows, detail=detail, nivel=nivel)


@router.get("/busca", response_class=HTMLResponse)
def search_page(
    request: Request,
    container: ContainerDep,
    workspaces: WorkspacesDep,
    principal: PrincipalDep,
    q: str | None = Query(None, max_length=2000),
    modo: str = Query("hybrid"),
    orgao: str | None = Query(None),
    relator: str | None = Query(None),
    classe: str | None = Query(None),
) -> HTMLResponse:
    """Hybrid search over the corpus, each passage with its citation."""
    passages: list[dict[str, Any]] = []
    error = None
    if q and q.strip():
        enforce_query_limit(request, principal, container)
        filters = search.SearchFilters(
            orgao_julgador=orgao or None, relator=relator or None, classe=classe or None
        )
        try:
            found = search.search(container.retrieval(), q, workspaces, mode=modo, k=10, filters=filters)  # type: ignore[arg-type]
            passages = [p.as_dict() for p in found]
        except JurisgraphError as exc:
            error = exc.message
    return _page(
        request,
        "search.html",
        q=q or "",
        modo=modo,
        orgao=orgao or "",
        relator=relator or "",
        classe=classe or "",
        passages=passages,
        error=error,
        modes=search.MODES,
    )


@router.get("/perguntar", response_class=HTMLResponse)
def ask_page(
    request: Request,
    container: ContainerDep,
    session: SessionDep,
    workspaces: WorkspacesDep,
    principal: PrincipalDep,
    q: str | None = Query(None, max_length=2000),
    modo: str = Query("auto"),
    orgao: str | None = Query(None),
    relator: str | None = Query(None),
    classe: str | None = Query(None),
) -> HTMLResponse:
    """A question, its answer with clickable citations, the sources and the reasoning chain."""
    asked = bool(q and q.strip())
    if asked:
        enforce_query_limit(request, principal, container)
    gateway = container.configured_gateway() if asked else None
    chat = ask.configured_chat(
        gateway, user_id=principal.user_id, workspace_id=workspaces[0] if workspaces else None
    )
    context = ask_web.page_context(
        session,
        container.retrieval(),
        container.name_indexes,
        workspaces,
        q,
        modo,
        orgao,
        relator,
        classe,
        chat=chat,
        rerank=container.settings.llm.rerank,
        user_id=principal.user_id,
    )
    return _page(request, "ask.html", **context)


@router.get("/logs", response_class=HTMLResponse)
def logs_page(request: Request, session: SessionDep) -> HTMLResponse:
    """Extraction logs."""
    return _page(request, "logs.html", logs=datasets.latest_logs(session, 200))


def install(app: FastAPI) -> None:
    """Mount the pages and the vendored static files."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

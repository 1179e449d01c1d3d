"""Server-rendered pages (Jinja2, HTMX, cytoscape.js): Painel, Conjuntos de dados, Consulta, Busca,
Grafo, Comunidades, Registros (and the no-script form /perguntar); the account pages (sign-in,
Minha conta, Admin) are in :mod:`jurisgraph.web.account`. No inline script or style."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from jurisgraph.ask import service as ask
from jurisgraph.ask import web as ask_web
from jurisgraph.datasets import views as dataset_views
from jurisgraph.deps import (
    MAX_KEY,
    MAX_NAME,
    ContainerDep,
    PrincipalDep,
    SessionDep,
    WorkspacesDep,
    enforce_query_limit,
)
from jurisgraph.errors import JurisgraphError, NotFound
from jurisgraph.graph import service as graph
from jurisgraph.search import service as search
from jurisgraph.web import access, account, documents
from jurisgraph.web.templating import HERE, render

#: the dashboard's counters, in order: label → key of :func:`jurisgraph.datasets.service.corpus_stats`
DASHBOARD_STATS = {
    "Documentos": "documents",
    "Trechos": "chunks",
    "Entidades": "nodes",
    "Relações": "edges",
    "Comunidades": "communities",
    # dense vectors are filled in by a background job after ingestion: show how far it got
    "Trechos com vetor denso": "dense_chunks",
    "Trechos à espera do vetor denso": "dense_pending",
}
#: every page knows its caller (for the header) and needs a user when public read is off
#: jobs listed on the Datasets page
RECENT_JOBS = 20

router = APIRouter(include_in_schema=False, dependencies=[Depends(access.page_principal)])


def _page(request: Request, name: str, **context: Any) -> HTMLResponse:
    return render(request, name, **context)


@router.get("/", response_class=HTMLResponse)
def dashboard(
    request: Request,
    session: SessionDep,
    container: ContainerDep,
    workspaces: WorkspacesDep,
    _: access.PageUserDep,
) -> HTMLResponse:
    """Painel (signed-in users, as ``/api/v1/stats``): corpus and graph counts, pipeline activity,
    LLM spend, entity types, latest actions."""
    board = dataset_views.dashboard(session, container)
    stats = {label: board["counts"][key] for label, key in DASHBOARD_STATS.items()}
    return _page(
        request,
        "dashboard.html",
        stats=stats,
        jobs=board["jobs"],
        llm=board["llm"],
        types=graph.stats(session, workspaces),
        logs=dataset_views.latest_logs(session, 10),
    )


@router.get("/parcial/atividade", response_class=HTMLResponse)
def activity(
    request: Request, session: SessionDep, container: ContainerDep, _: access.PageUserDep
) -> HTMLResponse:
    """The Painel's pipeline activity (running jobs with progress), refreshed by the page."""
    jobs = dataset_views.list_jobs(session, container.jobs(), active=True)
    return _page(request, "_activity.html", jobs=jobs)


@router.get("/datasets", response_class=HTMLResponse)
def datasets_page(
    request: Request, session: SessionDep, container: ContainerDep, user: access.PageUserDep
) -> HTMLResponse:
    """Conjuntos de dados (signed-in users, as ``/api/v1/datasets``): datasets, their resources with
    status; for admins the actions, live progress and the recent jobs with retry and cancel."""
    rows = dataset_views.overview(session)
    resources = {str(d["slug"]): dataset_views.resources(session, str(d["slug"])) for d in rows}
    jobs = dataset_views.list_jobs(session, container.jobs(), limit=RECENT_JOBS) if user.is_admin else []
    return _page(request, "datasets.html", datasets=rows, resources=resources, jobs=jobs)


@router.get("/consulta", response_class=HTMLResponse)
def chat_page(request: Request) -> HTMLResponse:
    """Consulta: questions as a chat, streamed answers, citations, reasoning and history."""
    return _page(request, "consulta.html", modes=ask_web.MODE_LABELS)


@router.get("/grafo", response_class=HTMLResponse)
def graph_page(
    request: Request,
    session: SessionDep,
    workspaces: WorkspacesDep,
    entidade: str | None = Query(None, max_length=191),
    q: str | None = Query(None, max_length=200),
    tipo: str | None = Query(None, max_length=64),
) -> HTMLResponse:
    """Grafo: entity search, type filters, the graph coloured by community, expand on click."""
    return _page(
        request,
        "graph.html",
        center=entidade or "",
        q=q or "",
        tipo=tipo or "",
        types=dict(sorted(graph.stats(session, workspaces).items())),
    )


@router.get("/comunidades", response_class=HTMLResponse)
def communities_page(
    request: Request,
    session: SessionDep,
    workspaces: WorkspacesDep,
    nivel: int | None = Query(None, ge=0, le=32),
    id: str | None = Query(None, max_length=MAX_KEY),
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
    modo: str = Query("hybrid", max_length=16),
    orgao: str | None = Query(None, max_length=MAX_NAME),
    relator: str | None = Query(None, max_length=MAX_NAME),
    classe: str | None = Query(None, max_length=MAX_NAME),
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
    modo: str = Query("auto", max_length=16),
    orgao: str | None = Query(None, max_length=MAX_NAME),
    relator: str | None = Query(None, max_length=MAX_NAME),
    classe: str | None = Query(None, max_length=MAX_NAME),
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


#: rows per page of the Registros page
LOG_PAGE = 50
LOG_STATUSES = ("started", "completed", "failed")


@router.get("/registros", response_class=HTMLResponse)
def logs_page(
    request: Request,
    session: SessionDep,
    _: access.PageUserDep,
    acao: str | None = Query(None, max_length=32),
    estado: str | None = Query(None, max_length=16),
    dataset: str | None = Query(None, max_length=191),
    pagina: int = Query(1, ge=1, le=100_000),
) -> HTMLResponse:
    """Registros (signed-in users, as ``/api/v1/extraction-logs``): pipeline actions with filters
    (action, status, dataset) and pages."""
    rows, total = dataset_views.log_page(
        session,
        action=acao,
        status=estado,
        dataset=dataset,
        limit=LOG_PAGE,
        offset=(pagina - 1) * LOG_PAGE,
    )
    filters = {"acao": acao or "", "estado": estado or "", "dataset": dataset or ""}
    pages = max(1, -(-total // LOG_PAGE))

    def page_url(n: int) -> str:
        return "/registros?" + urlencode({**{k: v for k, v in filters.items() if v}, "pagina": n})

    return _page(
        request,
        "logs.html",
        logs=rows,
        total=total,
        page=pagina,
        pages=pages,
        previous=page_url(pagina - 1) if pagina > 1 else None,
        next=page_url(pagina + 1) if pagina < pages else None,
        actions=dataset_views.log_actions(session),
        statuses=LOG_STATUSES,
        **filters,
    )


@router.get("/logs")
def old_logs_page() -> RedirectResponse:
    """The former address of Registros."""
    return RedirectResponse("/registros", status_code=308)


def install(app: FastAPI) -> None:
    """Mount the pages (with their sign-in redirects and 403 page) and the vendored static files."""
    access.install(app)
    app.include_router(router)
    app.include_router(account.router)
    app.include_router(documents.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

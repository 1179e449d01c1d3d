"""HTTP endpoints of questions: ``POST /api/v1/ask``, ``GET /api/v1/ask/stream`` (server-sent events),
and the audit trail ``GET /api/v1/queries`` and ``GET /api/v1/queries/export``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response, StreamingResponse
from pydantic import ConfigDict, Field

from jurisgraph.ask import audit, passages, service
from jurisgraph.ask.service import MAX_QUESTION, AskOptions
from jurisgraph.auth.principal import Principal
from jurisgraph.deps import (
    MAX_ID,
    MAX_NAME,
    AdminDep,
    ContainerDep,
    Page,
    PrincipalDep,
    QueryLaneDep,
    QueryLimitDep,
    SessionDep,
    StreamingSessionDep,
    UserDep,
    WorkspacesDep,
    paging,
)
from jurisgraph.engine.llm import ChatModel
from jurisgraph.engine.query import Mode
from jurisgraph.errors import InvalidInput, JurisgraphError, Unauthorized
from jurisgraph.kit.inputs import RequestBody
from jurisgraph.runtime import Container
from jurisgraph.search.service import SearchFilters

router = APIRouter(tags=["ask"])
MODES = "|".join(m.value for m in Mode)


class AskRequest(RequestBody):
    """A question and how to answer it."""

    model_config = ConfigDict(populate_by_name=True)

    question: str = Field(..., min_length=1, max_length=MAX_QUESTION, description="A pergunta.")
    mode: str = Field(
        "auto", pattern=f"^({MODES})$", description="naive, local, global, hybrid, graph or auto."
    )
    dataset: str | None = Field(None, max_length=MAX_NAME, description="Only this dataset slug.")
    orgao: str | None = Field(
        None, max_length=MAX_NAME, description="Órgão julgador as published, e.g. CORTE ESPECIAL."
    )
    relator: str | None = Field(
        None, max_length=MAX_NAME, description="Relator as published, e.g. OG FERNANDES."
    )
    classe: str | None = Field(None, max_length=MAX_NAME, description="Classe, e.g. REsp.")
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    k: int = Field(8, ge=1, le=50, description="Passages to retrieve.")
    budget_chars: int = Field(12000, ge=1000, le=200000, description="Context budget in characters.")

    def options(self, *, rerank: bool = False) -> AskOptions:
        """The service options of this request (``rerank``: the configured reranking)."""
        filters = SearchFilters(
            dataset=self.dataset or None,
            orgao_julgador=self.orgao or None,
            relator=self.relator or None,
            classe=self.classe or None,
            date_from=self.date_from,
            date_to=self.date_to,
        )
        return AskOptions(
            mode=self.mode, filters=filters, k=self.k, budget_chars=self.budget_chars, rerank=rerank
        )


def _chat(container: Container, workspaces: list[int], principal: Principal) -> ChatModel | None:
    """The chat model of an answer, booked to the caller and the first readable workspace (None:
    extractive)."""
    return service.configured_chat(
        container.configured_gateway(),
        user_id=principal.user_id,
        workspace_id=workspaces[0] if workspaces else None,
    )


@router.post("/api/v1/ask")
async def ask(
    body: AskRequest,
    container: ContainerDep,
    session: SessionDep,
    workspaces: WorkspacesDep,
    principal: PrincipalDep,
    lane: QueryLaneDep,
    _: QueryLimitDep,
) -> Response:
    """Answer a question with numbered citations, a grounding check and an audit id (the stored
    question records the caller)."""
    options = body.options(rerank=container.settings.llm.rerank)
    chat = _chat(container, workspaces, principal)

    def answer() -> bytes:
        result = service.ask(
            session,
            container.retrieval(),
            container.name_indexes,
            body.question,
            workspaces,
            options,
            chat=chat,
            reports=container.report_indexes,
            user_id=principal.user_id,
        )
        return orjson.dumps(result.as_dict())

    # the answer and its JSON are CPU work: off the event loop, in the query lane, in turn
    return Response(await lane.run(answer), media_type="application/json")


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.get("/api/v1/ask/stream")
def ask_stream(
    container: ContainerDep,
    session: StreamingSessionDep,
    workspaces: WorkspacesDep,
    principal: PrincipalDep,
    _: QueryLimitDep,
    q: str = Query(..., min_length=1, max_length=MAX_QUESTION, description="A pergunta."),
    mode: str = Query("auto", pattern=f"^({MODES})$"),
    dataset: str | None = Query(None, max_length=MAX_NAME),
    orgao: str | None = Query(None, max_length=MAX_NAME),
    relator: str | None = Query(None, max_length=MAX_NAME),
    classe: str | None = Query(None, max_length=MAX_NAME),
    date_from: date | None = Query(None, alias="from"),
    date_to: date | None = Query(None, alias="to"),
) -> StreamingResponse:
    """Server-sent events: ``meta``, ``sources``, ``delta``… then ``done`` with the citations
    (``fallback`` when the LLM gives way to the extractive answer, ``error`` on failure).
    One transaction from the readable workspaces to the audit row, committed after the stream ends."""
    if not q.strip():
        raise InvalidInput("empty question")
    body = AskRequest(
        question=q,
        mode=mode,
        dataset=dataset,
        orgao=orgao,
        relator=relator,
        classe=classe,
        **{"from": date_from, "to": date_to},
    )
    options = body.options(rerank=container.settings.llm.rerank)
    chat = _chat(container, workspaces, principal)
    retrieval = container.retrieval()

    def events() -> Iterator[str]:
        try:
            for name, data in service.stream(
                session,
                retrieval,
                container.name_indexes,
                q,
                workspaces,
                options,
                chat=chat,
                reports=container.report_indexes,
                user_id=principal.user_id,
            ):
                yield _event(name, data)
        except JurisgraphError as exc:
            yield _event("error", {"code": exc.code, "message": exc.message})

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


@router.get("/api/v1/queries")
def queries(
    principal: PrincipalDep,
    container: ContainerDep,
    session: SessionDep,
    page: Annotated[Page, paging()],
    mine: bool = Query(False, description="Only one's own questions (an admin's history)."),
) -> list[dict[str, Any]]:
    """The audit trail of questions, newest first: one's own (an admin sees every one, or only
    their own with ``mine=true``; an anonymous caller, who has no history, none while public read
    is on, else 401)."""
    if not principal.is_authenticated:
        if not container.settings.public_read:
            raise Unauthorized("sign in first")
        return []
    own = None if principal.is_admin and not mine else principal.user_id
    return audit.list_rows(session, limit=page.limit, offset=page.offset, user_id=own)


@router.get("/api/v1/queries/export")
def export(
    _: AdminDep, session: StreamingSessionDep, format: str = Query("jsonl", pattern="^(jsonl|csv)$")
) -> StreamingResponse:
    """The whole audit trail as JSONL or CSV (admin; a download, read while it is sent)."""
    media = "application/x-ndjson" if format == "jsonl" else "text/csv"
    headers = {"Content-Disposition": f'attachment; filename="rag_queries.{format}"'}
    lines = audit.export_lines(session, format)
    return StreamingResponse(lines, media_type=f"{media}; charset=utf-8", headers=headers)


@router.get("/api/v1/queries/{query_id}")
def query(
    principal: UserDep, query_id: int = Path(..., ge=1, le=MAX_ID), *, session: SessionDep
) -> dict[str, Any]:
    """One question of the audit trail, with its answer, sources and reasoning chain (one's own;
    an admin any)."""
    return audit.get_row(session, query_id, user_id=None if principal.is_admin else principal.user_id)


@router.get("/api/v1/passages")
def passage(
    session: SessionDep,
    workspaces: WorkspacesDep,
    document: str = Query(..., min_length=1, max_length=191, description="Document key, e.g. tema:1076."),
    start: int = Query(..., ge=0, le=2**31),
    end: int = Query(..., ge=1, le=2**31),
) -> dict[str, Any]:
    """The text of a document between two character offsets (a cited passage), with its citation."""
    return passages.passage(session, workspaces, document, start, end)

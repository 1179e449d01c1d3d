"""The MCP server: tools and resources over the graph, search and ask services, for the caller's
workspaces only. One server definition serves both transports; ``caller_of`` says who calls
(the API key of an HTTP request, or the user a stdio server runs as).

Every tool call is one transaction (committed at its end: ``ask`` stores its audit row);
``search_jurisprudence`` and ``ask`` count against the caller's query rate limit."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from pydantic import BaseModel, Field

from jurisgraph import __version__
from jurisgraph.ask import service as ask_service
from jurisgraph.ask.service import MAX_QUESTION, AskOptions
from jurisgraph.auth.principal import Principal
from jurisgraph.db import Session, session_scope
from jurisgraph.errors import JurisgraphError, NotFound, RateLimited, ServiceUnavailable
from jurisgraph.graph import cards
from jurisgraph.graph import service as graph_service
from jurisgraph.kit.ratelimit import LimiterUnavailable
from jurisgraph.mcp_server import schemas
from jurisgraph.runtime import Container
from jurisgraph.search import service as search_service
from jurisgraph.workspaces.service import readable_workspaces

NAME = "jurisgraph"
INSTRUCTIONS = (
    "Jurisprudência do STJ (dados abertos) como grafo: processos, temas repetitivos, súmulas, "
    "ministros, órgãos e leis. Use search_jurisprudence para trechos, ask para respostas citadas, "
    "get_process / get_tema / get_sumula para fichas, list_temas para listas e "
    "entity_neighbourhood para vizinhanças do grafo. Cite as fontes pelos links devolvidos."
)
ModeName = Literal["auto", "local", "global", "naive", "hybrid", "graph"]
Orgao = Literal["CE", "S1", "S2", "S3", "T1", "T2", "T3", "T4", "T5", "T6"]


@dataclass(frozen=True)
class Caller:
    """Who calls a tool: the process's container and the signed-in user."""

    container: Container
    principal: Principal


CallerOf = Callable[[Context], Caller]


class SearchFilters(BaseModel):
    """Filters of a search (all optional, all must hold)."""

    orgao: str | None = Field(
        None, max_length=200, description="Órgão julgador como publicado: PRIMEIRA TURMA."
    )
    relator: str | None = Field(None, max_length=200, description="Relator como publicado: OG FERNANDES.")
    classe: str | None = Field(None, max_length=200, description="Classe processual: REsp, AREsp, HC…")
    date_from: date | None = Field(None, description="Decididos a partir desta data (AAAA-MM-DD).")
    date_to: date | None = Field(None, description="Decididos até esta data (AAAA-MM-DD).")


@contextmanager
def _reading(caller: Caller) -> Iterator[tuple[Session, list[int]]]:
    """The tool call's transaction and the caller's readable workspaces."""
    principal = caller.principal
    with session_scope(caller.container.sessions) as session:
        yield session, readable_workspaces(session, user_id=principal.user_id, every=principal.is_admin)


def _count_query(caller: Caller) -> None:
    """One query against the caller's query rate limit (as ``/api/v1/ask`` counts it)."""
    limit = caller.container.settings.auth.query_rate_limit
    try:
        wait = caller.container.rate_limiter().hit(limit, "query", f"user:{caller.principal.user_id}")
    except LimiterUnavailable as exc:
        raise ServiceUnavailable(str(exc)) from exc
    if wait is not None:
        raise RateLimited(f"query rate limit reached ({limit})", retry_after=wait)


T = TypeVar("T")


def anticipated(fn: Callable[..., T]) -> Callable[..., T]:
    """A tool whose errors of the hierarchy (not found, invalid input, rate limit…) reach the
    client as ``code: message`` (``is_error`` results); anything else stays a crash, its text
    kept on the server."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except JurisgraphError as exc:
            raise ToolError(f"{exc.code}: {exc.message}") from exc

    return call


def anticipated_resource(fn: Callable[..., T]) -> Callable[..., T]:
    """A resource whose missing entity is "not found" (``-32602``) and other errors of the
    hierarchy a resource error with their message."""

    @functools.wraps(fn)
    def read(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except NotFound as exc:
            raise ResourceNotFoundError(exc.message) from exc
        except JurisgraphError as exc:
            raise ResourceError(f"{exc.code}: {exc.message}") from exc

    return read


def _citation(data: dict[str, Any]) -> schemas.CitationOut:
    return schemas.CitationOut.model_validate({**data, "text": str(data.get("text", ""))[:600]})


@contextmanager
def _process_logging_kept() -> Iterator[None]:
    """The SDK configures the root logger when a server is made (``logging.basicConfig``): the
    process's own logging set-up (:mod:`jurisgraph.logging`) is put back."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def build(caller_of: CallerOf) -> MCPServer[Any]:
    """The MCP server with every tool and resource; ``caller_of`` resolves the caller of a call."""
    with _process_logging_kept():
        server: MCPServer[Any] = MCPServer(NAME, instructions=INSTRUCTIONS, version=__version__)

    @server.tool()
    @anticipated
    def search_jurisprudence(
        query: Annotated[
            str, Field(min_length=1, max_length=2000, description="Pergunta ou palavras-chave.")
        ],
        ctx: Context,
        filters: Annotated[SearchFilters | None, Field(description="Filtros opcionais.")] = None,
        k: Annotated[int, Field(ge=1, le=50, description="Quantos trechos devolver.")] = 8,
    ) -> schemas.SearchResult:
        """Busca híbrida (densa + esparsa) de trechos de acórdãos, decisões e temas, com os dados
        de citação de cada trecho (processo, órgão, relator, data, link)."""
        caller = caller_of(ctx)
        _count_query(caller)
        f = filters or SearchFilters()
        chosen = search_service.SearchFilters(
            orgao_julgador=f.orgao,
            relator=f.relator,
            classe=f.classe,
            date_from=f.date_from,
            date_to=f.date_to,
        )
        with _reading(caller) as (_, workspaces):
            found = search_service.search(
                caller.container.retrieval(), query, workspaces, k=k, filters=chosen
            )
        passages = [schemas.PassageOut.model_validate(p.as_dict()) for p in found]
        return schemas.SearchResult(query=query, passages=passages)

    @server.tool()
    @anticipated
    def ask(
        question: Annotated[
            str, Field(min_length=1, max_length=MAX_QUESTION, description="A pergunta, em português.")
        ],
        ctx: Context,
        mode: Annotated[
            ModeName,
            Field(
                description="auto escolhe; local: entidades e vizinhança; global: comunidades; "
                "naive: trechos; hybrid; graph: listas e contagens exatas."
            ),
        ] = "auto",
    ) -> schemas.Answer:
        """Responde com citações numeradas [n] que remetem aos registros (processo, órgão, data,
        link, trecho); extrativa sem LLM configurado. A pergunta fica na trilha de auditoria."""
        caller = caller_of(ctx)
        _count_query(caller)
        container, principal = caller.container, caller.principal
        with _reading(caller) as (session, workspaces):
            chat = ask_service.configured_chat(
                container.configured_gateway(),
                user_id=principal.user_id,
                workspace_id=workspaces[0] if workspaces else None,
            )
            result = ask_service.ask(
                session,
                container.retrieval(),
                container.name_indexes,
                question,
                workspaces,
                AskOptions(mode=mode, rerank=container.settings.llm.rerank),
                chat=chat,
                user_id=principal.user_id,
                reports=container.report_indexes,
            )
            data = result.as_dict()
        return schemas.Answer(
            query_id=result.query_id,
            question=question,
            mode=result.mode,
            answer_kind=result.answer_kind,
            answer=result.answer,
            note=result.note,
            citations=[_citation(c) for c in data["citations"]],
            grounded=result.grounding.ok,
        )

    @server.tool()
    @anticipated
    def get_process(
        numero: Annotated[
            str,
            Field(
                min_length=1,
                max_length=200,
                description="O processo: 'REsp 1.850.512/SP', 'processo:resp_1850512' ou só o número.",
            ),
        ],
        ctx: Context,
        classe: Annotated[
            str | None,
            Field(max_length=40, description="Classe (REsp, AREsp, HC…) quando numero é só o número."),
        ] = None,
    ) -> schemas.ProcessCard:
        """Ficha de um processo: relator, órgão julgador, datas, trecho da ementa, precedentes e
        dispositivos citados, súmulas, temas (e se é leading case) e seus registros."""
        caller = caller_of(ctx)
        with _reading(caller) as (session, workspaces):
            key = cards.process_key(session, workspaces, numero, classe)
            return schemas.ProcessCard.model_validate(cards.process_card(session, workspaces, key))

    @server.tool()
    @anticipated
    def get_tema(
        numero: Annotated[int, Field(ge=1, le=100_000, description="Número do tema repetitivo (1076).")],
        ctx: Context,
    ) -> schemas.TemaCard:
        """Ficha de um tema (precedente qualificado): tese firmada, questão, situação, órgão,
        datas, leading cases com o relator, processos afetados e súmula originada."""
        caller = caller_of(ctx)
        with _reading(caller) as (session, workspaces):
            return schemas.TemaCard.model_validate(
                cards.tema_card(session, workspaces, cards.tema_key(numero))
            )

    @server.tool()
    @anticipated
    def get_sumula(
        numero: Annotated[int, Field(ge=1, le=100_000, description="Número da súmula do STJ (7).")],
        ctx: Context,
    ) -> schemas.SumulaCard:
        """Uma súmula do STJ: enunciado, situação, temas que a originaram e quem a cita."""
        caller = caller_of(ctx)
        with _reading(caller) as (session, workspaces):
            card = cards.sumula_card(session, workspaces, cards.sumula_key(numero))
            return schemas.SumulaCard.model_validate(card)

    @server.tool()
    @anticipated
    def entity_neighbourhood(
        entity: Annotated[
            str,
            Field(
                min_length=1,
                max_length=300,
                description="Chave canônica (tema:1076, ministro:og_fernandes) ou parte do nome.",
            ),
        ],
        ctx: Context,
        depth: Annotated[int, Field(ge=1, le=3, description="Saltos a partir da entidade.")] = 1,
        limit: Annotated[int, Field(ge=1, le=300, description="Máximo de nós.")] = 60,
    ) -> schemas.Neighbourhood:
        """Vizinhança de uma entidade no grafo: nós e relações tipadas (RELATOR_DE,
        LEADING_CASE_DE, CITA_PRECEDENTE, REFERENCIA…) até ``depth`` saltos."""
        caller = caller_of(ctx)
        with _reading(caller) as (session, workspaces):
            key = _entity_key(session, workspaces, entity)
            found = graph_service.neighbourhood(session, workspaces, key, depth=depth, limit=limit)
        return schemas.Neighbourhood.model_validate(found)

    @server.tool()
    @anticipated
    def list_temas(
        ctx: Context,
        orgao: Annotated[Orgao | None, Field(description="Órgão: CE, S1–S3, T1–T6.")] = None,
        relator: Annotated[
            str | None, Field(max_length=200, description="Relator de um processo do tema (nome).")
        ] = None,
        year: Annotated[int | None, Field(ge=1900, le=2100, description="Ano do julgamento.")] = None,
        situacao: Annotated[
            str | None, Field(max_length=80, description="Situação (trecho): Afetado, Trânsito em Julgado…")
        ] = None,
        limit: Annotated[int, Field(ge=1, le=500, description="Máximo de temas listados.")] = 50,
    ) -> schemas.TemaList:
        """Temas (precedentes qualificados) por órgão, relator, ano de julgamento e situação, com
        o total e a frase da resposta citando cada registro."""
        caller = caller_of(ctx)
        with _reading(caller) as (session, workspaces):
            found = cards.list_temas(
                session, workspaces, orgao=orgao, relator=relator, year=year, situacao=situacao, limit=limit
            )
        return schemas.TemaList.model_validate(found)

    @server.resource(
        "jurisgraph://processo/{key}",
        name="processo",
        description="Ficha de um processo pela chave (resp_1850512 ou processo:resp_1850512).",
        mime_type="application/json",
    )
    @anticipated_resource
    def processo_resource(key: str, ctx: Context) -> str:
        caller = caller_of(ctx)
        full = key if key.startswith("processo:") else f"processo:{key}"
        with _reading(caller) as (session, workspaces):
            return json.dumps(cards.process_card(session, workspaces, full), ensure_ascii=False)

    @server.resource(
        "jurisgraph://tema/{numero}",
        name="tema",
        description="Ficha de um tema repetitivo pelo número.",
        mime_type="application/json",
    )
    @anticipated_resource
    def tema_resource(numero: str, ctx: Context) -> str:
        caller = caller_of(ctx)
        with _reading(caller) as (session, workspaces):
            return json.dumps(
                cards.tema_card(session, workspaces, cards.tema_key(numero)), ensure_ascii=False
            )

    return server


def _entity_key(session: Session, workspaces: list[int], entity: str) -> str:
    """A canonical key as given, else the most mentioned entity whose name has ``entity``."""
    text = entity.strip()
    if ":" in text:
        return text
    found = graph_service.search_entities(session, workspaces, text, None, limit=1)
    if not found:
        raise NotFound(f"no entity named {text!r}")
    return str(found[0]["id"])

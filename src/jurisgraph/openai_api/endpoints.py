"""OpenAI-compatible endpoints: ``GET /v1/models``, ``GET /v1/models/{model}`` and
``POST /v1/chat/completions`` (streamed as server-sent ``chat.completion.chunk`` events or not).

Callers authenticate with ``Authorization: Bearer <API key>`` (a session token works too); the
per-user query rate limit and the LLM budget of ``/api/v1/ask`` apply. Errors take the OpenAI
shape (see :mod:`jurisgraph.openai_api.errors`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Path
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from jurisgraph.ask import service as ask_service
from jurisgraph.auth.principal import Principal
from jurisgraph.deps import (
    ContainerDep,
    QueryLaneDep,
    QueryLimitDep,
    SessionDep,
    StreamingSessionDep,
    UserDep,
    WorkspacesDep,
)
from jurisgraph.openai_api import service
from jurisgraph.runtime import Container

router = APIRouter(prefix="/v1", tags=["openai"])
#: the longest message content (earlier answers come back with their references)
MAX_CONTENT = 100_000
#: the most parts of a message's content
MAX_PARTS = 100


class ContentPart(BaseModel):
    """A part of a message's content; only ``text`` parts are read."""

    model_config = ConfigDict(extra="ignore")

    type: str = Field(..., max_length=40)
    text: str | None = Field(None, max_length=MAX_CONTENT)


class Message(BaseModel):
    """A message of the conversation."""

    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: (
        Annotated[str, Field(max_length=MAX_CONTENT)]
        | Annotated[list[ContentPart], Field(max_length=MAX_PARTS)]
        | None
    ) = None


class StreamOptions(BaseModel):
    """``stream_options``: ``include_usage`` adds a last chunk with the token usage."""

    model_config = ConfigDict(extra="ignore")

    include_usage: bool = False


class ChatRequest(BaseModel):
    """A chat completion request; sampling parameters are accepted and ignored (the answer is
    grounded in the corpus, extractive without an LLM)."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    model: str = Field(
        ..., max_length=100, description="jurisgraph-auto, -local, -global, -naive, -hybrid or -graph."
    )
    messages: list[Message] = Field(..., min_length=1, max_length=200)
    stream: bool = False
    stream_options: StreamOptions | None = None


def _asking(
    body: ChatRequest, container: Container, workspaces: list[int], principal: Principal
) -> service.Asking:
    mode = service.mode_of(body.model)
    chat = ask_service.configured_chat(
        container.configured_gateway(),
        user_id=principal.user_id,
        workspace_id=workspaces[0] if workspaces else None,
    )
    return service.Asking(container, workspaces, principal.user_id, chat, body.model, mode)


@router.get("/models", summary="Models (one per query mode)")
def list_models(_: UserDep) -> dict[str, Any]:
    """The models: ``jurisgraph-<mode>`` for each query mode."""
    return service.models()


@router.get("/models/{model}", summary="One model")
def get_model(_: UserDep, model: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    """One model (404 ``model_not_found`` for any other id)."""
    return service.model(model)


@router.post("/chat/completions", summary="Chat completion (OpenAI protocol)", response_model=None)
async def chat_completions(
    body: ChatRequest,
    principal: UserDep,
    container: ContainerDep,
    session: SessionDep,
    stream_session: StreamingSessionDep,
    workspaces: WorkspacesDep,
    lane: QueryLaneDep,
    _: QueryLimitDep,
) -> Response:
    """Answer the last user message (earlier turns resolve a follow-up) with numbered citations;
    the content ends with the references and their links, ``citations`` lists them.

    A streamed answer reads and writes its audit row in ``stream_session``, committed after the
    last chunk; an answer in one piece in the request's ``session`` (the one that resolved the
    caller), committed before the reply. SQLAlchemy opens a transaction on first use only: the
    session a request does not use holds nothing."""
    asking = _asking(body, container, workspaces, principal)
    conv = service.conversation([(m.role, service.text_of(_content(m))) for m in body.messages])
    if body.stream:
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        chunks = service.stream(stream_session, asking, conv, include_usage=include_usage)
        return StreamingResponse(chunks, media_type="text/event-stream", headers=headers)

    def answer() -> bytes:
        return orjson.dumps(service.complete(session, asking, conv))

    return Response(await lane.run(answer), media_type="application/json")


def _content(message: Message) -> str | list[dict[str, Any]] | None:
    if isinstance(message.content, list):
        return [part.model_dump() for part in message.content]
    return message.content

"""The OpenAI chat protocol over the ask service: models are query modes, a conversation is a
question (the last user message, made self-contained by the earlier turns), an answer is a chat
completion whose content ends with its numbered references and links.

Beyond the protocol, a completion carries ``citations`` (the cited sources: number, record,
processo, órgão, relator, date, link, character span) and ``jurisgraph`` (audit id, mode,
answer kind, grounding check); a stream carries both on its final chunk.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from jurisgraph.ask import service as ask_service
from jurisgraph.ask.service import MAX_QUESTION, AskOptions
from jurisgraph.db import Session
from jurisgraph.engine.llm import ChatModel
from jurisgraph.engine.query.followup import REFERENCES_MARK, Turn, resolve
from jurisgraph.errors import InvalidInput, JurisgraphError, NotFound
from jurisgraph.runtime import Container

MODEL_PREFIX = "jurisgraph-"
#: the model ids, one per query mode
MODELS = tuple(f"{MODEL_PREFIX}{mode}" for mode in ("auto", "local", "global", "naive", "hybrid", "graph"))
#: when the models were published (the protocol's ``created`` of a model)
MODELS_CREATED = 1_767_225_600
OWNER = "jurisgraph"


def models() -> dict[str, Any]:
    """``GET /v1/models``: one model per query mode."""
    return {"object": "list", "data": [model(m) for m in MODELS]}


def model(model_id: str) -> dict[str, Any]:
    """One model (404 ``model_not_found`` when it is not one of :data:`MODELS`)."""
    mode_of(model_id)
    return {"id": model_id, "object": "model", "created": MODELS_CREATED, "owned_by": OWNER}


def mode_of(model_id: str) -> str:
    """The query mode of a model id (``jurisgraph-local`` → ``local``)."""
    if model_id not in MODELS:
        raise NotFound(
            f"The model {model_id!r} does not exist; use one of {', '.join(MODELS)}", code="model_not_found"
        )
    return model_id.removeprefix(MODEL_PREFIX)


@dataclass(frozen=True)
class Conversation:
    """The question of a chat request: the last user message, made self-contained."""

    asked: str
    question: str


def text_of(content: str | Sequence[dict[str, Any]] | None) -> str:
    """The text of a message's content (a string, or the ``text`` parts of a list)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "\n".join(str(part.get("text", "")) for part in content if part.get("type") == "text")


def conversation(messages: Sequence[tuple[str, str]]) -> Conversation:
    """The question of ``(role, text)`` messages: the last one must be the user's; earlier user
    and assistant turns resolve a follow-up (see :mod:`jurisgraph.engine.query.followup`)."""
    if not messages or messages[-1][0] != "user":
        raise InvalidInput("the last message must be the user's question", code="invalid_messages")
    asked = messages[-1][1].strip()
    if not asked:
        raise InvalidInput("the last user message is empty", code="invalid_messages")
    history = [Turn(role, text) for role, text in messages[:-1] if role in ("user", "assistant")]
    question = resolve(asked, history)
    if len(question) > MAX_QUESTION:
        raise InvalidInput(
            f"the question is too long ({MAX_QUESTION} characters at most)", code="invalid_messages"
        )
    return Conversation(asked, question)


def link(citation: dict[str, Any]) -> str | None:
    """Where a lawyer opens a cited source: the STJ link, else the record's own web address."""
    if citation.get("stj_link"):
        return str(citation["stj_link"])
    url = citation.get("source_url")
    return str(url) if isinstance(url, str) and url.startswith(("http://", "https://")) else None


def citation_dict(citation: dict[str, Any]) -> dict[str, Any]:
    """A cited source (as an answer lists it) as the ``citations`` extra field lists it."""
    fields = ("n", "document_key", "title", "kind", "processo", "orgao_julgador", "relator", "date")
    spans = ("source_url", "start", "end")
    return {
        **{k: citation.get(k) for k in fields},
        "url": link(citation),
        **{k: citation.get(k) for k in spans},
    }


def references(citations: Sequence[dict[str, Any]]) -> str:
    """The numbered references appended to an answer (empty when it cites nothing)."""
    if not citations:
        return ""
    lines = []
    for citation in citations:
        parts = (citation.get(k) for k in ("processo", "orgao_julgador", "relator", "date"))
        facts = " · ".join(str(x) for x in parts if x)
        line = f"[{citation['n']}] {citation.get('title') or citation.get('document_key')}"
        if facts and facts not in line:
            line += f" — {facts}"
        url = link(citation)
        if url:
            line += f" — {url}"
        lines.append(line)
    return REFERENCES_MARK + "\n" + "\n".join(lines)


def extras(answer: dict[str, Any], conv: Conversation) -> dict[str, Any]:
    """The documented extra fields of a completion (from an answer's data): ``citations`` and
    ``jurisgraph`` (audit id, the question as resolved, modes, answer kind, note, grounding)."""
    return {
        "citations": [citation_dict(c) for c in answer["citations"]],
        "jurisgraph": {
            "query_id": answer["id"],
            "question": conv.question,
            "requested_mode": answer["requested_mode"],
            "mode": answer["mode"],
            "answer_kind": answer["answer_kind"],
            "note": answer["note"],
            "grounding": answer["grounding"],
        },
    }


def completion_id() -> str:
    """A fresh ``chatcmpl-…`` id."""
    return f"chatcmpl-{uuid.uuid4().hex}"


def usage(answer: dict[str, Any]) -> dict[str, int]:
    """The protocol's ``usage`` of an answer (LLM tokens; zero for an extractive answer)."""
    tokens_in, tokens_out = int(answer["tokens_in"]), int(answer["tokens_out"])
    return {
        "prompt_tokens": tokens_in,
        "completion_tokens": tokens_out,
        "total_tokens": tokens_in + tokens_out,
    }


@dataclass(frozen=True)
class Asking:
    """What answering a chat request needs besides the conversation."""

    container: Container
    workspaces: list[int]
    user_id: int | None
    chat: ChatModel | None
    model: str
    mode: str

    def options(self) -> AskOptions:
        return AskOptions(mode=self.mode, rerank=self.container.settings.llm.rerank)


def complete(session: Session, asking: Asking, conv: Conversation) -> dict[str, Any]:
    """A ``chat.completion``: the answer with its references, ``usage`` and the extra fields."""
    container = asking.container
    result = ask_service.ask(
        session,
        container.retrieval(),
        container.name_indexes,
        conv.question,
        asking.workspaces,
        asking.options(),
        chat=asking.chat,
        user_id=asking.user_id,
        reports=container.report_indexes,
    )
    answer = result.as_dict()
    content = result.answer + references(answer["citations"])
    return {
        "id": completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": asking.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": usage(answer),
        **extras(answer, conv),
    }


def _sse(data: dict[str, Any]) -> str:
    return "data: " + orjson.dumps(data).decode() + "\n\n"


def error_object(message: str, code: str, status: int, param: str | None = None) -> dict[str, Any]:
    """The OpenAI error shape ``{"error": {"message", "type", "param", "code"}}``."""
    return {"error": {"message": message, "type": error_type(status, code), "param": param, "code": code}}


def error_type(status: int, code: str) -> str:
    """The OpenAI error ``type`` of a status (and code)."""
    if code == "budget_exhausted":
        return "insufficient_quota"
    if status == 401:
        return "authentication_error"
    if status == 403:
        return "permission_error"
    if status == 429:
        return "rate_limit_error"
    if status >= 500:
        return "api_error"
    return "invalid_request_error"


def stream(
    session: Session, asking: Asking, conv: Conversation, *, include_usage: bool = False
) -> Iterator[str]:
    """Server-sent ``chat.completion.chunk`` events: the role, the content deltas, the
    references, a final chunk with ``finish_reason: "stop"`` and the extra fields, then
    ``data: [DONE]``. An error after the first byte is an ``error`` event before ``[DONE]``."""
    container = asking.container
    head = {"id": completion_id(), "object": "chat.completion.chunk", "created": int(time.time())}
    head["model"] = asking.model

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return _sse({**head, "choices": [choice], **extra})

    yield chunk({"role": "assistant", "content": ""})
    try:
        events = ask_service.stream(
            session,
            container.retrieval(),
            container.name_indexes,
            conv.question,
            asking.workspaces,
            asking.options(),
            chat=asking.chat,
            user_id=asking.user_id,
            reports=container.report_indexes,
        )
        for name, data in events:
            if name == "delta" and data.get("text"):
                yield chunk({"content": data["text"]})
            elif name == "fallback":
                # what was sent cannot be taken back: the extractive answer follows, labelled
                yield chunk({"content": f"\n\n{data.get('note') or ''}\n\n"})
            elif name == "done":
                yield chunk({"content": references(data["citations"])})
                yield chunk({}, "stop", **extras(data, conv))
                if include_usage:
                    yield _sse({**head, "choices": [], "usage": usage(data)})
    except JurisgraphError as exc:
        yield _sse(error_object(exc.message, exc.code, exc.status_code))
    yield "data: [DONE]\n\n"

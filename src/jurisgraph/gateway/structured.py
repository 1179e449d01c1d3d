"""Structured replies: validate a JSON reply against a pydantic model, and the repair request."""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar

import pydantic

from jurisgraph.engine.llm import ChatMessage, ChatRequest

M = TypeVar("M", bound=pydantic.BaseModel)

MAX_ERRORS = 8
REPAIR_SUFFIX = "+repair"
_FENCE = re.compile(r"^```[a-zA-Z0-9_-]*\s*\n?(?P<body>.*?)\n?```$", re.DOTALL)

REPAIR_PROMPT = (
    "Sua resposta anterior não é um JSON válido para o esquema pedido.\n"
    "Erro de validação:\n{error}\n\n"
    "Responda novamente apenas com o JSON corrigido, completo e conforme o esquema, "
    "sem texto antes ou depois e sem blocos de código."
)


def parse_reply(text: str, model_cls: type[M]) -> tuple[M | None, str]:
    """``(instance, "")`` when ``text`` validates, else ``(None, reason)``.

    The JSON may be bare, in a Markdown code fence, or an object with prose around it.
    """
    body = text.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group("body").strip()
    if not body:
        return None, "empty reply"
    try:
        return model_cls.model_validate_json(body), ""
    except pydantic.ValidationError as exc:
        problem = describe(exc)
    start, end = body.find("{"), body.rfind("}")
    if 0 <= start < end and (start, end) != (0, len(body) - 1):
        try:
            return model_cls.model_validate_json(body[start : end + 1]), ""
        except pydantic.ValidationError:
            pass
    return None, problem


def describe(exc: pydantic.ValidationError) -> str:
    """A short, model-readable list of what failed validation."""
    lines = []
    for error in exc.errors(include_url=False)[:MAX_ERRORS]:
        where = ".".join(str(part) for part in error["loc"]) or "(raiz)"
        lines.append(f"- {where}: {error['msg']}")
    more = exc.error_count() - MAX_ERRORS
    if more > 0:
        lines.append(f"- … e mais {more} erro(s)")
    return "\n".join(lines)


def repair_request(request: ChatRequest, bad_reply: str, error: str) -> ChatRequest:
    """``request`` followed by the bad reply and a request to answer with valid JSON only."""
    messages = [
        *request.messages,
        ChatMessage("assistant", bad_reply or "(resposta vazia)"),
        ChatMessage("user", REPAIR_PROMPT.format(error=error)),
    ]
    return dataclasses.replace(
        request, messages=messages, prompt_version=request.prompt_version + REPAIR_SUFFIX
    )

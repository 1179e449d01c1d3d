"""The one JSON shape of error replies, ``{"error": <code>, "detail": <message or list>}``, for
every 4xx/5xx: errors of the :class:`~jurisgraph.errors.JurisgraphError` hierarchy, Starlette's
HTTP errors (404, 405, 413…) and request validation (422).

A reply never fails to encode: what a caller sent (non-finite numbers, lone surrogates, a
megabyte-long string) is never echoed raw; strings are made valid UTF-8 and cut short."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from jurisgraph.db import DATABASE_FAILURES, failure_message
from jurisgraph.errors import JurisgraphError, code_for_status, error_body

log = structlog.get_logger(__name__)

#: the longest string of an error reply (a message, a location part)
MAX_DETAIL_CHARS = 500
#: the most validation problems listed in one reply
MAX_PROBLEMS = 20


def clean_text(value: str, limit: int = MAX_DETAIL_CHARS) -> str:
    """``value`` as valid UTF-8 (lone surrogates replaced), at most ``limit`` characters."""
    text = value[: limit + 1].encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe_detail(value: Any, depth: int = 0) -> Any:
    """``value`` as data that JSON encodes strictly: strings cleaned and cut, non-finite floats
    as text, containers bounded; anything else as its cleaned ``str``."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return clean_text(value)
    if depth > 4:
        return "…"
    if isinstance(value, dict):
        items = list(value.items())[:MAX_PROBLEMS]
        return {clean_text(str(k), 100): safe_detail(v, depth + 1) for k, v in items}
    if isinstance(value, list | tuple):
        return [safe_detail(v, depth + 1) for v in list(value)[:MAX_PROBLEMS]]
    return clean_text(str(value))


def error_response(
    status: int, code: str, detail: Any, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The JSON error reply ``{"error": code, "detail": detail}`` (detail made safe to encode)."""
    return JSONResponse(error_body(code, safe_detail(detail)), status_code=status, headers=headers)


def validation_problems(errors: Any) -> list[dict[str, Any]]:
    """Pydantic's validation errors as ``{"loc", "msg", "type"}``: the input and its context,
    which may hold anything the caller sent, are left out."""
    problems = []
    for error in list(errors)[:MAX_PROBLEMS]:
        loc = [part if isinstance(part, int) else clean_text(str(part), 100) for part in error.get("loc", ())]
        problems.append(
            {"loc": loc, "msg": clean_text(str(error.get("msg", ""))), "type": str(error.get("type", ""))}
        )
    return problems


async def _jurisgraph_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, JurisgraphError)
    log.warning("request_failed", code=exc.code, status=exc.status_code, error=clean_text(exc.message))
    return error_response(exc.status_code, exc.code, exc.message, exc.response_headers())


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if exc.detail is not None else code_for_status(exc.status_code)
    return error_response(exc.status_code, code_for_status(exc.status_code), detail, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, "invalid_input", validation_problems(exc.errors()))


async def _database_failure(request: Request, exc: Exception) -> JSONResponse:
    message = failure_message(exc)
    log.error("database_failed", error=clean_text(message))
    return error_response(503, "database_unavailable", message, {"Retry-After": "5"})


def install(app: FastAPI) -> None:
    """Register the error handlers on ``app``."""
    app.add_exception_handler(JurisgraphError, _jurisgraph_error)
    for failure in DATABASE_FAILURES:
        app.add_exception_handler(failure, _database_failure)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)

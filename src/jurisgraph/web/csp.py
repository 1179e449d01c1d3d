"""The Content Security Policy of the pages: scripts and styles from this origin only (no inline
script, no inline style), no framing. Set on every response that does not carry one already."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def install(app: FastAPI) -> None:
    """Add the policy header to every response of ``app`` that has none."""

    @app.middleware("http")
    async def _content_security_policy(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response

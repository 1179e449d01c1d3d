"""The MCP server over streamable HTTP at ``/mcp``, for callers with an API key (or a session
token) as ``Authorization: Bearer …``; anything else gets 401 before the protocol starts.

Stateless: every request stands alone (no session id to pin to a replica) and replies with
plain JSON, so any API replica behind a load balancer answers it. The app's trusted-hosts check
guards the Host header (the SDK's own DNS-rebinding check is off: every request carries a key).
Its session manager runs inside the app's lifespan (:meth:`McpEndpoint.running`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.transport_security import TransportSecuritySettings
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from jurisgraph.auth import service as auth
from jurisgraph.auth.principal import Principal
from jurisgraph.db import session_scope
from jurisgraph.errors import Unauthorized, error_body
from jurisgraph.mcp_server import server as mcp_server
from jurisgraph.mcp_server.server import Caller
from jurisgraph.runtime import Container

PATH = "/mcp"
#: where the caller of a request waits for the tools (the request's ASGI state)
STATE_KEY = "jurisgraph_mcp_caller"


def caller_of_request(ctx: Context) -> Caller:
    """The caller the endpoint authenticated for the HTTP request of a tool call."""
    request: Any = ctx.request_context.request
    caller = request.scope.get("state", {}).get(STATE_KEY) if request is not None else None
    if not isinstance(caller, Caller):
        raise Unauthorized("no authenticated caller")
    return caller


def principal_for(container: Container, token: str) -> Principal:
    """The user of a bearer API key or session token (:class:`Unauthorized` when invalid)."""
    secret = container.settings.auth.jwt_secret.get_secret_value()
    with session_scope(container.sessions) as session:
        return auth.principal_for_bearer(session, token, secret=secret)


def _refusal(message: str) -> JSONResponse:
    headers = Unauthorized(message).response_headers()
    return JSONResponse(error_body("unauthorized", message), status_code=401, headers=headers)


class McpEndpoint:
    """ASGI endpoint of ``/mcp``: authenticates, then hands the request to the session manager."""

    def __init__(self) -> None:
        self.server: MCPServer[Any] = mcp_server.build(caller_of_request)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """A fresh session manager and its task group, for one run of the app's lifespan (a
        manager runs once)."""
        # the SDK builds the manager with a Starlette app around it; the route is this endpoint
        self.server.streamable_http_app(
            streamable_http_path=PATH,
            stateless_http=True,
            json_response=True,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        async with self.server.session_manager.run():
            yield

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        header = Headers(scope=scope).get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            await _refusal("use Authorization: Bearer <API key>")(scope, receive, send)
            return
        container: Container = scope["app"].state.container
        try:
            principal = await run_in_threadpool(principal_for, container, token.strip())
        except Unauthorized as exc:
            await _refusal(exc.message)(scope, receive, send)
            return
        scope.setdefault("state", {})[STATE_KEY] = Caller(container, principal)
        await self.server.session_manager.handle_request(scope, receive, send)

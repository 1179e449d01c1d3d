"""ASGI guards around the whole app: trusted ``Host`` headers, a request-body size limit and
the security headers of every response. Each reads the settings of the running app (its
container), with the embedded defaults before the lifespan built it."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jurisgraph.config import AppSettings, Settings
from jurisgraph.middleware.problems import error_response

#: the Content-Security-Policy of every page: no inline script, no framing, same-origin only
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
#: the interactive API docs (/docs, /redoc) load Swagger UI / ReDoc from their CDN with an inline script
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
#: the field defaults (no environment read at import), used before the lifespan built the container
_DEFAULTS = AppSettings.model_construct()


def settings_of(scope: Scope) -> Settings | None:
    """The settings of the app serving ``scope`` (None before its lifespan built the container)."""
    app = scope.get("app")
    container = getattr(getattr(app, "state", None), "container", None)
    settings = getattr(container, "settings", None)
    return settings if isinstance(settings, Settings) else None


def _app_settings(scope: Scope) -> AppSettings:
    settings = settings_of(scope)
    return settings.app if settings is not None else _DEFAULTS


#: routes that take uploads: their body may hold ``storage.max_files`` files of ``storage.max_upload_mb``
UPLOAD_PATHS = frozenset({"/api/v1/documents"})


def _body_limit(scope: Scope) -> int:
    """The largest body of this request: ``app.max_body_bytes``, or what an upload route may take
    (every file's own limit is checked while its route reads the body)."""
    settings = settings_of(scope)
    app = settings.app if settings is not None else _DEFAULTS
    if settings is not None and scope.get("method") == "POST" and scope.get("path") in UPLOAD_PATHS:
        storage = settings.storage
        return max(app.max_body_bytes, storage.max_files * (storage.max_upload_mb + 1) * 1024 * 1024)
    return app.max_body_bytes


class SecurityHeaders:
    """Add the security headers to every HTTP response (HSTS only in production)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        production = _app_settings(scope).env == "production"
        csp = DOCS_CSP if scope.get("path") in DOCS_PATHS else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-security-policy", csp)
                if production:
                    headers.setdefault("strict-transport-security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse request bodies over ``app.max_body_bytes`` with 413: at once when Content-Length
    says so, and while a body without one (chunked) is read, counting what arrives (Starlette's
    :class:`RequestBodyLimitMiddleware`, whose limit a route may override with FastAPI's
    ``max_body_size``, for uploads)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._limiters: dict[int, RequestBodyLimitMiddleware] = {}

    def _limiter(self, limit: int) -> RequestBodyLimitMiddleware:
        if limit not in self._limiters:
            self._limiters[limit] = RequestBodyLimitMiddleware(self.app, max_body_size=limit)
        return self._limiters[limit]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = _body_limit(scope)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.isdigit() or len(declared) > 18:
                await error_response(400, "bad_request", "invalid Content-Length")(scope, receive, send)
                return
            if int(declared) > limit:
                refusal = error_response(
                    413, "too_large", f"request body over {limit} bytes", headers={"connection": "close"}
                )
                await refusal(scope, receive, send)
                return
        await self._limiter(limit)(scope, receive, send)


_PASSED = "jurisgraph.trusted_host"


class TrustedHosts:
    """Starlette's :class:`TrustedHostMiddleware` over ``app.allowed_hosts`` (``*`` = any),
    answering a refused ``Host`` with the JSON error shape."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._guards: dict[tuple[str, ...], TrustedHostMiddleware] = {}

    async def _through(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[_PASSED] = True
        await self.app(scope, receive, send)

    def _guard(self, hosts: tuple[str, ...]) -> TrustedHostMiddleware:
        if hosts not in self._guards:
            self._guards[hosts] = TrustedHostMiddleware(self._through, allowed_hosts=list(hosts))
        return self._guards[hosts]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hosts = tuple(_app_settings(scope).allowed_hosts)
        if scope["type"] != "http" or "*" in hosts:
            await self.app(scope, receive, send)
            return
        replaced = False

        async def json_refusal(message: Message) -> None:
            nonlocal replaced
            if scope.get(_PASSED):
                await send(message)
            elif message["type"] == "http.response.start" and message["status"] == 400:
                replaced = True
                await error_response(400, "invalid_host", "host not allowed")(scope, receive, send)
            elif not replaced:
                await send(message)

        await self._guard(hosts)(scope, receive, json_refusal)

"""The signed, short-lived cookie that carries an OpenID Connect sign-in's state, nonce and PKCE
verifier from the redirect to the issuer back to the callback: Starlette's session middleware,
applied to the OIDC routes only and keyed by a secret derived from ``JWT_SECRET``."""

from __future__ import annotations

import hashlib
import hmac

from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from jurisgraph.middleware.guards import settings_of

#: the routes of an OIDC sign-in (the redirect and the callback)
OIDC_PREFIX = "/api/v1/auth/oidc/"
STATE_COOKIE = "jurisgraph_oidc"
#: seconds a sign-in may take at the issuer
STATE_MAX_AGE = 600


def state_secret(jwt_secret: str) -> str:
    """The key that signs the state cookie, derived from the session secret."""
    return hmac.new(jwt_secret.encode("utf-8"), b"jurisgraph-oidc-state", hashlib.sha256).hexdigest()


class OidcState:
    """Give requests under :data:`OIDC_PREFIX` a ``request.session`` stored in the signed
    :data:`STATE_COOKIE` (SameSite=Lax, so the issuer's redirect back carries it; Secure in
    production); every other request passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._sessions: dict[tuple[str, bool], SessionMiddleware] = {}

    def _middleware(self, secret: str, secure: bool) -> SessionMiddleware:
        key = (secret, secure)
        if key not in self._sessions:
            self._sessions[key] = SessionMiddleware(
                self.app,
                secret_key=state_secret(secret),
                session_cookie=STATE_COOKIE,
                max_age=STATE_MAX_AGE,
                path="/api/v1/auth/oidc",
                same_site="lax",
                https_only=secure,
            )
        return self._sessions[key]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        settings = settings_of(scope)
        if scope["type"] != "http" or settings is None or not scope.get("path", "").startswith(OIDC_PREFIX):
            await self.app(scope, receive, send)
            return
        secret = settings.auth.jwt_secret.get_secret_value()
        await self._middleware(secret, settings.is_production)(scope, receive, send)

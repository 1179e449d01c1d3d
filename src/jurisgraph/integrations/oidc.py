"""OpenID Connect sign-in through any standard issuer, with Authlib's Starlette client.

:class:`OidcClient` is built once per process (``runtime.Container.oidc``) from the issuer's
discovery document. :meth:`OidcClient.redirect` sends the browser to the issuer (state, nonce
and a PKCE verifier are kept in the short-lived signed ``jurisgraph_oidc`` cookie);
:meth:`OidcClient.claims` finishes the code flow and returns the ID token's verified claims
(signature against the issuer's JWKS, ``iss``, ``aud``, ``exp`` and ``nonce``).
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

import httpx
from authlib.integrations.starlette_client import OAuth, OAuthError
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import Response

from jurisgraph.config import AuthSettings
from jurisgraph.errors import Unauthorized

PROVIDER = "issuer"


def _transport_errors() -> tuple[type[BaseException], ...]:
    """HTTP errors of the client Authlib talks to the issuer with (``httpx2`` when installed,
    else ``httpx``), plus socket errors."""
    errors: list[type[BaseException]] = [httpx.HTTPError, OSError]
    if importlib.util.find_spec("httpx2") is not None:
        errors.append(importlib.import_module("httpx2").HTTPError)
    return tuple(errors)


TRANSPORT_ERRORS = _transport_errors()
STATE_COOKIE = "jurisgraph_oidc"


@dataclass(frozen=True)
class OidcClaims:
    """The identity an issuer vouched for: ``subject`` is what accounts are matched on."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


class OidcClient:
    """The configured issuer; its discovery document is fetched on first use."""

    def __init__(self, settings: AuthSettings) -> None:
        self._oauth = OAuth()
        self._oauth.register(
            name=PROVIDER,
            server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret.get_secret_value(),
            client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256"},
        )

    async def redirect(self, request: Request, redirect_uri: str) -> Response:
        """A 302 to the issuer's authorization endpoint, coming back to ``redirect_uri``."""
        client = self._oauth.create_client(PROVIDER)
        try:
            response: Response = await client.authorize_redirect(request, redirect_uri)
        except (OAuthError, *TRANSPORT_ERRORS, ValueError) as exc:
            raise Unauthorized(
                f"the sign-in provider is unavailable: {exc}", code="oidc_unavailable"
            ) from exc
        return response

    async def claims(self, request: Request) -> OidcClaims:
        """Exchange the callback's code for tokens and return the ID token's verified claims;
        :class:`~jurisgraph.errors.Unauthorized` when the issuer refused or anything is off."""
        client = self._oauth.create_client(PROVIDER)
        try:
            token = await client.authorize_access_token(request)
        except (OAuthError, JoseError, *TRANSPORT_ERRORS, ValueError, KeyError) as exc:
            raise Unauthorized(f"sign-in was not completed: {exc}", code="oidc_failed") from exc
        info = token.get("userinfo") or {}
        subject = str(info.get("sub") or "")
        if not subject:
            raise Unauthorized("the sign-in provider sent no subject", code="oidc_failed")
        email = info.get("email")
        return OidcClaims(
            issuer=str(info.get("iss") or ""),
            subject=subject,
            email=str(email).strip().lower() if email else None,
            email_verified=bool(info.get("email_verified", False)),
            name=str(info["name"]) if info.get("name") else None,
        )

"""OpenID Connect sign-in (``/api/v1/auth/oidc/*``): a redirect to the configured issuer, and
the callback that matches or creates the user by its subject (``open_id``) and starts the same
session as a password sign-in. A sign-in that fails comes back to ``/login?erro=sso``."""

from __future__ import annotations

from hashlib import sha256
from urllib.parse import quote

import structlog
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from jurisgraph.auth import service
from jurisgraph.auth.cookies import start_session
from jurisgraph.deps import ContainerDep, SessionDep
from jurisgraph.errors import Conflict, Unauthorized
from jurisgraph.integrations.oidc import OidcClaims
from jurisgraph.kit.urls import local_path

router = APIRouter(prefix="/api/v1/auth/oidc", tags=["auth"])
log = structlog.get_logger(__name__)
#: the longest ``open_id`` stored as is (longer subjects are stored as their digest)
MAX_OPEN_ID = 64


def open_id_of(claims: OidcClaims) -> str:
    """The stable account key of an OIDC identity: its subject, as the original system kept it."""
    if len(claims.subject) <= MAX_OPEN_ID:
        return claims.subject
    return "sha256:" + sha256(claims.subject.encode("utf-8")).hexdigest()[: MAX_OPEN_ID - 7]


@router.get("/login", responses={302: {"description": "To the issuer's sign-in page"}})
async def oidc_login(
    request: Request,
    container: ContainerDep,
    next: str | None = Query(None, max_length=2000, description="A path of this site to go to after."),
) -> Response:
    """Start a sign-in at the configured OpenID Connect issuer (404 when none is configured; back to
    ``/login?erro=sso`` when the issuer does not answer)."""
    client = container.oidc()
    target = local_path(next)
    request.session["next"] = target
    redirect_uri = container.settings.auth.oidc_redirect_url or str(request.url_for("oidc_callback"))
    try:
        return await client.redirect(request, redirect_uri)
    except Unauthorized as exc:
        log.warning("oidc_issuer_unavailable", error=exc.message)
        return RedirectResponse(f"/login?erro=sso&next={quote(target)}", status_code=303)


@router.get(
    "/callback", name="oidc_callback", responses={303: {"description": "Signed in, or back to /login"}}
)
async def oidc_callback(request: Request, container: ContainerDep, session: SessionDep) -> Response:
    """Finish the sign-in: verify the issuer's ID token, match or create the user by its subject,
    set the session cookies and go to the page the sign-in started from."""
    client = container.oidc()
    target = local_path(request.session.pop("next", None))
    try:
        claims = await client.claims(request)
        identity = service.OidcIdentity(
            open_id=open_id_of(claims),
            email=claims.email if claims.email_verified else None,
            name=claims.name,
        )
        user = await run_in_threadpool(service.sign_in_oidc, session, identity)
    except (Unauthorized, Conflict) as exc:
        log.warning("oidc_sign_in_refused", code=exc.code, error=exc.message)
        return RedirectResponse(f"/login?erro=sso&next={quote(target)}", status_code=303)
    response = RedirectResponse(target, status_code=303)
    start_session(response, service.session_token(user, container.settings.auth), container.settings)
    return response

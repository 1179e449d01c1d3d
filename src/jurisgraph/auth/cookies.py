"""The session and CSRF cookies: ``jurisgraph_session`` (the JWT; httpOnly, SameSite=Lax, Secure in
production) and ``jurisgraph_csrf`` (random, readable by the page, echoed in ``X-CSRF-Token`` or the
form field ``csrf_token`` on cookie-authenticated unsafe requests: double submit)."""

from __future__ import annotations

import secrets

from starlette.responses import Response

from jurisgraph.config import Settings

SESSION_COOKIE = "jurisgraph_session"
CSRF_COOKIE = "jurisgraph_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def new_csrf_token() -> str:
    """A random CSRF token."""
    return secrets.token_urlsafe(32)


def start_session(response: Response, token: str, settings: Settings, *, csrf: str | None = None) -> str:
    """Set the session cookie holding ``token`` and a CSRF cookie on ``response``; returns the CSRF
    token (``csrf``, or a new one)."""
    max_age = settings.auth.jwt_ttl_days * 86400
    secure = settings.is_production
    response.set_cookie(
        SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax", secure=secure, path="/"
    )
    value = csrf or new_csrf_token()
    response.set_cookie(
        CSRF_COOKIE, value, max_age=max_age, httponly=False, samesite="lax", secure=secure, path="/"
    )
    return value


def end_session(response: Response, settings: Settings) -> None:
    """Delete the session and CSRF cookies."""
    secure = settings.is_production
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure)
    response.delete_cookie(CSRF_COOKIE, path="/", samesite="lax", secure=secure)

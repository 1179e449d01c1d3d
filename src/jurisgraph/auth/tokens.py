"""Session tokens: JWTs signed with HS256 (``auth.jwt_secret``) carrying the user id (``sub``),
the user's token version (``ver``), ``iat`` and ``exp``. A token whose version is older than the
user's stops working: logout and password changes raise the version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from jurisgraph.errors import ConfigError, Unauthorized

ALGORITHM = "HS256"
ISSUER = "jurisgraph"


@dataclass(frozen=True)
class SessionClaims:
    """What a valid session token says."""

    user_id: int
    version: int
    expires_at: datetime


def _check_secret(secret: str) -> None:
    if not secret:
        raise ConfigError("JWT_SECRET is empty: session tokens cannot be signed or checked")


def issue(user_id: int, version: int, *, secret: str, ttl: timedelta, now: datetime | None = None) -> str:
    """A signed session token for ``user_id`` at token ``version``, valid for ``ttl``."""
    _check_secret(secret)
    issued = now or datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "ver": version,
        "iat": issued,
        "exp": issued + ttl,
        "iss": ISSUER,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode(token: str, *, secret: str) -> SessionClaims:
    """The claims of a valid token; :class:`Unauthorized` when it is forged, expired or malformed."""
    _check_secret(secret)
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "ver", "exp", "iat"]},
        )
        user_id, version = int(claims["sub"]), int(claims["ver"])
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("session expired", code="token_expired") from exc
    except (jwt.InvalidTokenError, ValueError, TypeError) as exc:
        raise Unauthorized("invalid session token", code="invalid_token") from exc
    return SessionClaims(user_id, version, datetime.fromtimestamp(int(claims["exp"]), UTC))

"""Accounts and sign-in: users and their private workspaces, passwords, session tokens, API keys,
login throttling, and the seam OIDC sign-in uses (:func:`sign_in_oidc`).

Every function takes the request's or command's session and the clients it needs; the edge commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from jurisgraph.auth import keys, repository, tokens
from jurisgraph.auth.passwords import generate_password, hash_password, verify_password
from jurisgraph.auth.principal import Principal, Role, Via
from jurisgraph.config import AuthSettings
from jurisgraph.db import Session
from jurisgraph.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    Unauthorized,
)
from jurisgraph.kit.ratelimit import LimiterUnavailable, RateLimiter
from jurisgraph.models import ApiKey, User
from jurisgraph.models.accounts import USER_ROLES
from jurisgraph.workspaces.service import ensure_private_workspace

MIN_PASSWORD = 8
MAX_PASSWORD = 1024
MAX_EMAIL = 320
BAD_LOGIN = "invalid e-mail or password"
LAST_USED_RESOLUTION = timedelta(minutes=1)
"""An API key's ``last_used_at`` is updated when it is older than this."""
# verified against when the e-mail is unknown, so that a wrong e-mail costs as long as a wrong password
_DUMMY_HASH = hash_password(uuid.uuid4().hex)


def utcnow() -> datetime:
    """Now in UTC, naive (as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


# ---- users ------------------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    """``email`` trimmed and lower-cased; :class:`InvalidInput` when it is not one."""
    value = email.strip().lower()
    local, at, domain = value.partition("@")
    if not (local and at and domain) or len(value) > MAX_EMAIL or any(c.isspace() for c in value):
        raise InvalidInput("invalid e-mail address")
    return value


def _check_password(password: str) -> None:
    if not (MIN_PASSWORD <= len(password) <= MAX_PASSWORD):
        raise InvalidInput(f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters")


def _check_role(role: str) -> None:
    if role not in USER_ROLES:
        raise InvalidInput(f"unknown role {role!r}; expected one of {', '.join(USER_ROLES)}")


def create_user(
    session: Session,
    *,
    email: str,
    password: str | None,
    role: str = "user",
    name: str | None = None,
    open_id: str | None = None,
    login_method: str = "password",
) -> User:
    """A new active user with its private workspace (``user-<id>``); :class:`Conflict` when the
    e-mail is taken. ``password`` None: the user signs in by OIDC only."""
    address = normalise_email(email)
    _check_role(role)
    if password is not None:
        _check_password(password)
    if repository.get_by_email(session, address) is not None:
        raise Conflict(f"a user with e-mail {address} exists")
    user = User(
        open_id=open_id or f"local:{uuid.uuid4().hex}",
        name=name,
        email=address,
        login_method=login_method,
        role=role,
        password_hash=hash_password(password) if password is not None else None,
        is_active=True,
        token_version=0,
    )
    repository.add_user(session, user)
    ensure_private_workspace(session, user.id, f"Espaço de {name or address}")
    return user


def get_user(session: Session, user_id: int) -> User:
    """The user ``user_id``; :class:`NotFound` when there is none."""
    user = repository.get(session, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def user_by_email(session: Session, email: str) -> User:
    """The user with ``email``; :class:`NotFound` when there is none."""
    user = repository.get_by_email(session, normalise_email(email))
    if user is None:
        raise NotFound(f"no user with e-mail {email.strip()}")
    return user


def list_users(session: Session, *, limit: int = 100, offset: int = 0) -> list[User]:
    """Users in id order."""
    return repository.list_users(session, limit=min(max(limit, 1), 1000), offset=max(offset, 0))


def update_user(
    session: Session, user_id: int, *, is_active: bool | None = None, role: str | None = None
) -> User:
    """Disable or enable a user, or change its role; the last active admin cannot be removed.
    Disabling or a role change ends the user's sessions."""
    user = get_user(session, user_id)
    if role is not None:
        _check_role(role)
    removes_admin = user.role == "admin" and user.is_active and (is_active is False or role == "user")
    if removes_admin and repository.count_admins(session) <= 1:
        raise Conflict("the last active admin cannot be disabled or demoted")
    changed = False
    if is_active is not None and is_active != user.is_active:
        user.is_active, changed = is_active, True
    if role is not None and role != user.role:
        user.role, changed = role, True
    if changed:
        user.token_version += 1
    session.flush()
    return user


def reset_password(session: Session, user_id: int, password: str | None = None) -> str | None:
    """Set a new password (``password`` or a generated one, returned to be shown once) and end
    every session of the user."""
    user = get_user(session, user_id)
    generated = None if password else generate_password()
    new = password or generated or ""
    _check_password(new)
    user.password_hash = hash_password(new)
    user.token_version += 1
    session.flush()
    return generated


def change_password(session: Session, user_id: int, current: str, new: str) -> User:
    """The user's own password change: the current one must match; earlier sessions end."""
    user = get_user(session, user_id)
    if not user.password_hash or not verify_password(user.password_hash, current):
        raise InvalidInput("the current password is wrong", code="wrong_password")
    _check_password(new)
    user.password_hash = hash_password(new)
    user.token_version += 1
    session.flush()
    return user


def user_dict(user: User) -> dict[str, Any]:
    """A user as JSON-ready data (never its password hash)."""
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "is_active": user.is_active,
        "login_method": user.login_method,
        "last_signed_in": user.last_signed_in.isoformat() if user.last_signed_in else None,
        "created_at": user.created_at.isoformat() if user.created_at else None,
    }


def principal_of(user: User, via: Via) -> Principal:
    """The principal of a signed-in ``user`` reached ``via`` cookie, bearer or api_key."""
    role: Role = "admin" if user.role == "admin" else "user"
    return Principal(user_id=user.id, email=user.email, role=role, via=via)


# ---- the first admin --------------------------------------------------------------------------


@dataclass(frozen=True)
class AdminBootstrap:
    """Outcome of :func:`ensure_admin`: the generated password is shown once, never stored."""

    created: bool
    email: str
    generated_password: str | None


def admin_count(session: Session) -> int:
    """Active admin accounts."""
    return repository.count_admins(session)


def ensure_admin(session: Session, *, email: str, password: str | None) -> AdminBootstrap:
    """Create an admin when none exists, with ``password`` or a generated one."""
    if repository.count_admins(session) > 0:
        return AdminBootstrap(created=False, email=email, generated_password=None)
    generated = None if password else generate_password()
    existing = repository.get_by_email(session, normalise_email(email))
    if existing is not None:  # a disabled or demoted account of that e-mail becomes the admin again
        existing.role, existing.is_active = "admin", True
        existing.password_hash = hash_password(password or generated or "")
        existing.token_version += 1
        session.flush()
        ensure_private_workspace(session, existing.id)
        return AdminBootstrap(created=True, email=email, generated_password=generated)
    user = User(
        open_id=f"local:{uuid.uuid4().hex}",
        name="Administrador",
        email=normalise_email(email),
        login_method="password",
        role="admin",
        password_hash=hash_password(password or generated or ""),
        is_active=True,
        token_version=0,
    )
    repository.add_user(session, user)
    ensure_private_workspace(session, user.id, "Espaço do administrador")
    return AdminBootstrap(created=True, email=email, generated_password=generated)


# ---- sign-in ----------------------------------------------------------------------------------


def authenticate(session: Session, email: str, password: str) -> User:
    """The active user with this e-mail and password; :class:`Unauthorized` otherwise (the same
    message whatever was wrong)."""
    try:
        address = normalise_email(email)
    except InvalidInput as exc:
        raise Unauthorized(BAD_LOGIN, code="bad_credentials") from exc
    user = repository.get_by_email(session, address)
    if user is None or not user.password_hash:
        verify_password(_DUMMY_HASH, password)
        raise Unauthorized(BAD_LOGIN, code="bad_credentials")
    if not verify_password(user.password_hash, password) or not user.is_active:
        raise Unauthorized(BAD_LOGIN, code="bad_credentials")
    return user


def _login_key(email: str, ip: str) -> tuple[str, str]:
    return ("login", f"{email.strip().lower()[:MAX_EMAIL]}|{ip}")


def login(
    session: Session, limiter: RateLimiter, settings: AuthSettings, *, email: str, password: str, ip: str
) -> User:
    """Check a password sign-in, throttled per e-mail and IP: after ``login_rate_limit`` failures
    the pair is locked out for ``login_lockout_minutes`` (:class:`RateLimited` with the wait);
    :class:`ServiceUnavailable` when the counts cannot be read (no sign-in without throttling)."""
    try:
        return _login(session, limiter, settings, email=email, password=password, ip=ip)
    except LimiterUnavailable as exc:
        raise ServiceUnavailable(str(exc)) from exc


def _login(
    session: Session, limiter: RateLimiter, settings: AuthSettings, *, email: str, password: str, ip: str
) -> User:
    key = _login_key(email, ip)
    lockout = f"1/{settings.login_lockout_minutes} minutes"
    wait = limiter.blocked(lockout, "lockout", *key)
    if wait is None and limiter.blocked(settings.login_rate_limit, *key) is not None:
        limiter.hit(lockout, "lockout", *key)  # failures used up: lock the pair out
        wait = limiter.blocked(lockout, "lockout", *key) or settings.login_lockout_minutes * 60
    if wait is not None:
        raise RateLimited("too many failed logins; try again later", retry_after=wait)
    try:
        user = authenticate(session, email, password)
    except Unauthorized:
        limiter.hit(settings.login_rate_limit, *key)
        raise
    limiter.clear(settings.login_rate_limit, *key)
    mark_signed_in(session, user)
    return user


def mark_signed_in(session: Session, user: User) -> None:
    """Record the sign-in time."""
    user.last_signed_in = utcnow()
    session.flush()


def session_token(user: User, settings: AuthSettings) -> str:
    """A session token (JWT) for ``user`` at its current token version."""
    return tokens.issue(
        user.id,
        user.token_version,
        secret=settings.jwt_secret.get_secret_value(),
        ttl=timedelta(days=settings.jwt_ttl_days),
    )


def logout(session: Session, user_id: int) -> None:
    """End every session of the user (their tokens' version is now old)."""
    get_user(session, user_id).token_version += 1
    session.flush()


def principal_for_token(session: Session, token: str, *, secret: str, via: Via) -> Principal:
    """The principal of a session token; :class:`Unauthorized` when it is invalid, expired, of an
    older version, or its user is gone or disabled."""
    claims = tokens.decode(token, secret=secret)
    user = repository.get(session, claims.user_id)
    if user is None or not user.is_active or user.token_version != claims.version:
        raise Unauthorized("session ended", code="invalid_token")
    return principal_of(user, via)


@dataclass(frozen=True)
class OidcIdentity:
    """Verified claims of an OIDC sign-in: ``open_id`` is the stable subject (issuer-qualified)."""

    open_id: str
    email: str | None
    name: str | None = None
    login_method: str = "oidc"


def sign_in_oidc(session: Session, identity: OidcIdentity) -> User:
    """The user of verified OIDC claims, matched by ``open_id`` (created, with its private
    workspace, on first sign-in); :class:`Unauthorized` when that user is disabled. Issue the
    session with :func:`session_token` and ``jurisgraph.auth.cookies.start_session``."""
    user = repository.get_by_open_id(session, identity.open_id)
    if user is None:
        if not identity.email:
            raise Unauthorized("the identity provider gave no e-mail", code="oidc_no_email")
        user = create_user(
            session,
            email=identity.email,
            password=None,
            name=identity.name,
            open_id=identity.open_id,
            login_method=identity.login_method,
        )
    if not user.is_active:
        raise Unauthorized("this account is disabled", code="account_disabled")
    if identity.name and not user.name:
        user.name = identity.name
    mark_signed_in(session, user)
    return user


# ---- API keys ---------------------------------------------------------------------------------


def create_key(
    session: Session, user_id: int, *, name: str = "", expires_days: int | None = None
) -> tuple[ApiKey, str]:
    """A new API key of ``user_id``; returns the stored row and the key, to be shown once."""
    user = get_user(session, user_id)
    if expires_days is not None and expires_days < 1:
        raise InvalidInput("expires_days must be at least 1")
    new = keys.generate()
    row = ApiKey(
        user_id=user.id,
        name=(name.strip() or "api")[:128],
        prefix=new.prefix,
        key_hash=new.key_hash,
        created_at=utcnow(),
        expires_at=utcnow() + timedelta(days=expires_days) if expires_days else None,
    )
    repository.add_key(session, row)
    return row, new.plaintext


def list_keys(session: Session, *, user_id: int | None, limit: int = 100, offset: int = 0) -> list[ApiKey]:
    """A page of the API keys of ``user_id`` (everyone's when None), newest first."""
    return repository.list_keys(session, user_id=user_id, limit=limit, offset=offset)


def revoke_key(session: Session, key_id: int, *, owner_id: int | None) -> ApiKey:
    """Revoke a key (of ``owner_id`` when given: another user's key is :class:`NotFound`)."""
    row = repository.get_key(session, key_id)
    if row is None or (owner_id is not None and row.user_id != owner_id):
        raise NotFound(f"no API key {key_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return row


def principal_for_key(session: Session, key: str) -> Principal:
    """The principal of an API key (its last use recorded); :class:`Unauthorized` when it is
    unknown, revoked, expired, or its user is disabled."""
    row = repository.key_by_hash(session, keys.hash_key(key))
    now = utcnow()
    if row is None or row.revoked_at is not None:
        raise Unauthorized("invalid API key", code="invalid_api_key")
    if row.expires_at is not None and row.expires_at <= now:
        raise Unauthorized("API key expired", code="api_key_expired")
    user = repository.get(session, row.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("invalid API key", code="invalid_api_key")
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now  # at most one write a minute per key, however busy it is
        session.flush()
    return principal_of(user, "api_key")


def principal_for_email(session: Session, email: str) -> Principal:
    """The principal of the active user ``email`` for a local process (``via="local"``): whoever
    runs a command on the server's configuration may act as any user; :class:`Unauthorized`
    when there is no such active user."""
    try:
        user = user_by_email(session, email)
    except NotFound as exc:
        raise Unauthorized(f"no user {email!r}") from exc
    if not user.is_active:
        raise Unauthorized(f"user {email!r} is disabled")
    return principal_of(user, "local")


def principal_for_bearer(session: Session, token: str, *, secret: str) -> Principal:
    """The principal of an ``Authorization: Bearer`` value: an API key or a session token."""
    if keys.looks_like_key(token):
        return principal_for_key(session, token)
    return principal_for_token(session, token, secret=secret, via="bearer")


def key_dict(row: ApiKey) -> dict[str, Any]:
    """An API key as JSON-ready data (never its hash)."""

    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": row.id,
        "user_id": row.user_id,
        "name": row.name,
        "prefix": f"{keys.KEY_MARK}{row.prefix}",
        "created_at": iso(row.created_at),
        "last_used_at": iso(row.last_used_at),
        "expires_at": iso(row.expires_at),
        "revoked_at": iso(row.revoked_at),
    }

"""HTTP endpoints of accounts: sign-in and out (``/api/v1/auth/*``), users (admin, ``/api/v1/users``)
and API keys (``/api/v1/keys``: one's own; an admin may name another user)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import Field, ValidationError
from starlette.concurrency import run_in_threadpool

from jurisgraph.auth import service
from jurisgraph.auth.cookies import end_session, new_csrf_token, start_session
from jurisgraph.auth.passwords import generate_password
from jurisgraph.auth.principal import Principal
from jurisgraph.deps import MAX_ID, AdminDep, ContainerDep, Page, SessionDep, UserDep, client_ip, paging
from jurisgraph.errors import Forbidden, InvalidInput, JurisgraphError, RateLimited
from jurisgraph.kit.inputs import RequestBody
from jurisgraph.kit.urls import local_path

router = APIRouter(prefix="/api/v1", tags=["auth"])
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]
KeyId = Annotated[int, Path(ge=1, le=MAX_ID)]
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class LoginRequest(RequestBody):
    """E-mail and password; ``next``: where a form sign-in goes after success (a local path)."""

    email: str = Field(..., min_length=3, max_length=service.MAX_EMAIL)
    password: str = Field(..., min_length=1, max_length=service.MAX_PASSWORD)
    next: str | None = Field(None, max_length=2000)


class PasswordChange(RequestBody):
    """The current password and the new one."""

    current_password: str = Field(..., min_length=1, max_length=service.MAX_PASSWORD)
    new_password: str = Field(..., min_length=service.MIN_PASSWORD, max_length=service.MAX_PASSWORD)


class NewUser(RequestBody):
    """An account to create; without a password one is generated and returned once."""

    email: str = Field(..., min_length=3, max_length=service.MAX_EMAIL)
    password: str | None = Field(None, min_length=service.MIN_PASSWORD, max_length=service.MAX_PASSWORD)
    name: str | None = Field(None, max_length=255)
    role: Literal["user", "admin"] = "user"


class UserChange(RequestBody):
    """Enable or disable a user, or change its role."""

    is_active: bool | None = None
    role: Literal["user", "admin"] | None = None


class PasswordReset(RequestBody):
    """The new password; without one a password is generated and returned once."""

    password: str | None = Field(None, min_length=service.MIN_PASSWORD, max_length=service.MAX_PASSWORD)


class NewKey(RequestBody):
    """An API key to create (for another user: admins only)."""

    name: str = Field("api", max_length=128)
    expires_days: int | None = Field(None, ge=1, le=3650)
    user_id: int | None = Field(None, ge=1, le=MAX_ID)


_LOGIN_SCHEMA = LoginRequest.model_json_schema()
_LOGIN_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _LOGIN_SCHEMA},
        "application/x-www-form-urlencoded": {"schema": _LOGIN_SCHEMA},
    },
}


@router.post(
    "/auth/login",
    openapi_extra={"requestBody": _LOGIN_BODY},
    responses={200: {"description": "Signed in (JSON)"}, 303: {"description": "Signed in (form)"}},
)
async def login(request: Request, container: ContainerDep, session: SessionDep) -> Response:
    """Sign in with e-mail and password (JSON, or an HTML form that is redirected to ``next``):
    sets the session and CSRF cookies; a JSON reply also carries the token for bearer use.
    Failures are throttled per e-mail and IP, then locked out for a while (429)."""
    is_form = request.headers.get("content-type", "").startswith(FORM_TYPES)
    try:
        raw: Any = dict(await request.form()) if is_form else await request.json()
        body = LoginRequest.model_validate(raw)
    except (ValidationError, ValueError) as exc:
        raise InvalidInput("send email and password") from exc
    settings = container.settings
    try:
        user = await run_in_threadpool(
            service.login,
            session,
            container.rate_limiter(),
            settings.auth,
            email=body.email,
            password=body.password,
            ip=client_ip(request),
        )
    except RateLimited as exc:
        if not is_form:
            raise
        target = f"/login?erro=bloqueado&espera={exc.retry_after}&next={quote(local_path(body.next))}"
        return RedirectResponse(target, status_code=303, headers=exc.response_headers())
    except JurisgraphError as exc:
        if not is_form or exc.status_code != 401:
            raise
        target = f"/login?erro=1&next={quote(local_path(body.next))}"
        return RedirectResponse(target, status_code=303)
    token = service.session_token(user, settings.auth)
    response: Response
    if is_form:
        response = RedirectResponse(local_path(body.next), status_code=303)
        start_session(response, token, settings)
        return response
    csrf = new_csrf_token()
    response = JSONResponse(
        {
            "user": service.user_dict(user),
            "csrf_token": csrf,
            "token": token,
            "token_type": "bearer",
            "expires_in": settings.auth.jwt_ttl_days * 86400,
        }
    )
    start_session(response, token, settings, csrf=csrf)
    return response


@router.post(
    "/auth/logout",
    responses={200: {"description": "Signed out (JSON)"}, 303: {"description": "Signed out (form)"}},
)
def logout(request: Request, principal: UserDep, session: SessionDep, container: ContainerDep) -> Response:
    """Sign out everywhere: every session token of the user stops working; cookies are cleared.
    An HTML form (the pages' "Sair", with its ``csrf_token`` field) is redirected to ``/login``."""
    assert principal.user_id is not None
    service.logout(session, principal.user_id)
    response: Response
    if request.headers.get("content-type", "").startswith(FORM_TYPES):
        response = RedirectResponse("/login", status_code=303)
    else:
        response = JSONResponse({"ok": True})
    end_session(response, container.settings)
    return response


@router.get("/auth/me")
def me(principal: UserDep, session: SessionDep) -> dict[str, Any]:
    """The signed-in user, and how the request was authenticated."""
    assert principal.user_id is not None
    return {**service.user_dict(service.get_user(session, principal.user_id)), "via": principal.via}


@router.post("/auth/password")
def change_password(
    body: PasswordChange, principal: UserDep, session: SessionDep, container: ContainerDep
) -> Response:
    """Change one's password: earlier sessions end; a cookie session gets a fresh cookie."""
    assert principal.user_id is not None
    user = service.change_password(session, principal.user_id, body.current_password, body.new_password)
    response = JSONResponse({"ok": True})
    if principal.via == "cookie":
        start_session(response, service.session_token(user, container.settings.auth), container.settings)
    return response


@router.get("/users", tags=["admin"])
def users(
    _: AdminDep,
    session: SessionDep,
    page: Annotated[Page, paging(100, 1000)],
) -> list[dict[str, Any]]:
    """Every user (admin), a page at a time."""
    return [service.user_dict(u) for u in service.list_users(session, limit=page.limit, offset=page.offset)]


@router.post("/users", tags=["admin"], status_code=201)
def create_user(body: NewUser, _: AdminDep, session: SessionDep) -> dict[str, Any]:
    """Create a user with its private workspace (admin); a generated password is shown once."""
    generated = None if body.password else generate_password()
    user = service.create_user(
        session, email=body.email, password=body.password or generated, role=body.role, name=body.name
    )
    return {**service.user_dict(user), "generated_password": generated}


@router.patch("/users/{user_id}", tags=["admin"])
def update_user(user_id: UserId, body: UserChange, _: AdminDep, session: SessionDep) -> dict[str, Any]:
    """Disable or enable a user, or change its role (admin); its sessions end."""
    return service.user_dict(service.update_user(session, user_id, is_active=body.is_active, role=body.role))


@router.post("/users/{user_id}/reset-password", tags=["admin"])
def reset_password(user_id: UserId, body: PasswordReset, _: AdminDep, session: SessionDep) -> dict[str, Any]:
    """Set a new password for a user (admin; generated and shown once when not given)."""
    generated = service.reset_password(session, user_id, body.password)
    return {"id": user_id, "generated_password": generated}


@router.get("/keys", tags=["keys"])
def list_keys(
    principal: UserDep,
    session: SessionDep,
    page: Annotated[Page, paging(100, 1000)],
    user_id: int | None = Query(None, ge=1, le=MAX_ID, description="Another user's keys (admin)."),
    every: bool = Query(False, alias="all", description="Every user's keys (admin)."),
) -> list[dict[str, Any]]:
    """One's API keys (an admin may list another user's, or everyone's with ``all=true``)."""
    if every and not principal.is_admin:
        raise Forbidden("only admins list every user's keys")
    owner = None if every else _key_owner(principal, user_id)
    rows = service.list_keys(session, user_id=owner, limit=page.limit, offset=page.offset)
    return [service.key_dict(k) for k in rows]


@router.post("/keys", tags=["keys"], status_code=201)
def create_key(body: NewKey, principal: UserDep, session: SessionDep) -> dict[str, Any]:
    """Create an API key; the key itself is in this reply only (store it now)."""
    owner = _key_owner(principal, body.user_id)
    row, plaintext = service.create_key(session, owner, name=body.name, expires_days=body.expires_days)
    return {**service.key_dict(row), "key": plaintext}


@router.delete("/keys/{key_id}", tags=["keys"])
def revoke_key(key_id: KeyId, principal: UserDep, session: SessionDep) -> dict[str, Any]:
    """Revoke an API key (one's own; an admin any)."""
    row = service.revoke_key(session, key_id, owner_id=None if principal.is_admin else principal.user_id)
    return service.key_dict(row)


def _key_owner(principal: Principal, user_id: int | None) -> int:
    """Whose keys a request is about: the caller's, or (admins only) ``user_id``'s."""
    assert principal.user_id is not None
    if user_id is None or user_id == principal.user_id:
        return principal.user_id
    if not principal.is_admin:
        raise Forbidden("only admins manage other users' keys")
    return user_id

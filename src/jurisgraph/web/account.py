"""The pages of accounts: sign-in (``/login``), one's account (``/conta``: password and API keys)
and the admin page (``/admin``: users and every API key). The forms post to the /api/v1 routes."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jurisgraph.auth import service as auth
from jurisgraph.deps import ContainerDep, PrincipalDep
from jurisgraph.kit.urls import local_path
from jurisgraph.web.access import MAX_NEXT, PageAdminDep, PageUserDep
from jurisgraph.web.templating import render

router = APIRouter(include_in_schema=False)

#: the messages of the sign-in page, by its ``erro`` parameter
LOGIN_ERRORS = {
    "1": "E-mail ou senha incorretos.",
    "bloqueado": "Muitas tentativas sem sucesso: o acesso foi bloqueado por um tempo.",
    "sso": "Não foi possível entrar pelo provedor de identidade (SSO).",
}


def wait_text(seconds: int) -> str:
    """How long to wait, for people: ``45 s``, ``1 min``, ``15 min``."""
    if seconds < 60:
        return f"{seconds} s"
    return f"{-(-seconds // 60)} min"


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    next: str | None = Query(None, max_length=MAX_NEXT),
    erro: str | None = Query(None, max_length=16),
    espera: int | None = Query(None, ge=0, le=7 * 86400),
) -> Response:
    """Sign in with e-mail and password (a form posted to /api/v1/auth/login), or through the
    OIDC provider when one is configured; a signed-in user goes straight to ``next``."""
    target = local_path(next)
    if principal.is_authenticated:
        return RedirectResponse(target, status_code=303)
    request.state.principal = principal
    settings = container.settings.auth
    error = LOGIN_ERRORS.get(erro or "", "Não foi possível entrar." if erro else None)
    if erro == "bloqueado" and espera:
        error = f"{error} Tente de novo em {wait_text(espera)}."
    return render(
        request,
        "login.html",
        next=target,
        error=error,
        oidc_enabled=settings.oidc_enabled,
        oidc_label=settings.oidc_label or "Entrar com SSO",
    )


@router.get("/conta", response_class=HTMLResponse)
def account_page(request: Request, principal: PageUserDep) -> HTMLResponse:
    """Minha conta: change one's password; one's API keys (create, shown once; list; revoke)."""
    return render(request, "account.html", min_password=auth.MIN_PASSWORD, max_password=auth.MAX_PASSWORD)


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, principal: PageAdminDep) -> HTMLResponse:
    """Admin: users (create, enable/disable, reset password, change role) and every API key."""
    return render(
        request,
        "admin.html",
        min_password=auth.MIN_PASSWORD,
        max_password=auth.MAX_PASSWORD,
        admin_id=principal.user_id,
    )

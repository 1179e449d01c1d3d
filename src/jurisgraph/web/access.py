"""Who may see a page: every page knows its caller (``request.state.principal``, shown in the
header); anonymous visitors are sent to ``/login?next=…`` when a page needs a user (every page when
public read is off), and a signed-in non-admin gets a 403 page on the admin ones."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from jurisgraph.auth.principal import Principal
from jurisgraph.deps import ContainerDep, PrincipalDep
from jurisgraph.kit.urls import local_path
from jurisgraph.web.templating import render

#: the longest ``next`` address the sign-in page accepts
MAX_NEXT = 2000


class SignInRequired(Exception):
    """The page needs a signed-in user: the visitor goes to ``/login?next=<the page>``."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageForbidden(Exception):
    """The signed-in user may not see the page (403 page)."""


def requested_path(request: Request) -> str:
    """The page asked for, as a local path with its query string."""
    query = request.url.query
    return local_path(request.url.path + (f"?{query}" if query else ""))


def current_page(request: Request) -> str:
    """The page an htmx request comes from (its ``HX-Current-URL``), as a local path."""
    parts = urlsplit(request.headers.get("HX-Current-URL", "/"))
    return local_path(parts.path + (f"?{parts.query}" if parts.query else ""))


def login_url(next_path: str) -> str:
    """The sign-in page that comes back to ``next_path`` afterwards."""
    return "/login?" + urlencode({"next": local_path(next_path)}, quote_via=quote)


def page_principal(request: Request, principal: PrincipalDep, container: ContainerDep) -> Principal:
    """The caller of a page (kept for the header); anonymous visitors need public read."""
    request.state.principal = principal
    if not principal.is_authenticated and not container.settings.public_read:
        raise SignInRequired(requested_path(request))
    return principal


PagePrincipalDep = Annotated[Principal, Depends(page_principal)]


def page_user(request: Request, principal: PagePrincipalDep) -> Principal:
    """A signed-in caller of a page (anonymous visitors go to the sign-in page)."""
    if not principal.is_authenticated:
        raise SignInRequired(requested_path(request))
    return principal


PageUserDep = Annotated[Principal, Depends(page_user)]


def page_admin(principal: PageUserDep) -> Principal:
    """An admin (other users get the 403 page)."""
    if not principal.is_admin:
        raise PageForbidden()
    return principal


PageAdminDep = Annotated[Principal, Depends(page_admin)]


def install(app: FastAPI) -> None:
    """Turn :class:`SignInRequired` into a redirect and :class:`PageForbidden` into the 403 page."""

    async def sign_in(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        if request.headers.get("HX-Request"):
            # a fragment a page refreshes (htmx): the whole page goes to sign-in, not the fragment
            return Response(status_code=401, headers={"HX-Redirect": login_url(current_page(request))})
        return RedirectResponse(login_url(exc.next_path), status_code=303)

    async def forbidden(request: Request, exc: Exception) -> Response:
        return render(request, "forbidden.html", status_code=403)

    app.add_exception_handler(SignInRequired, sign_in)
    app.add_exception_handler(PageForbidden, forbidden)

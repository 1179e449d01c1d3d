"""The Jinja2 templates of the pages (with the page filters) and the helper that renders one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from jurisgraph.web.filters import install as install_filters

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
install_filters(templates.env)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The template ``name`` rendered for ``request`` with ``context``."""
    response: HTMLResponse = templates.TemplateResponse(request, name, context, status_code=status_code)
    return response

"""Every template renders a URL from data through ``link``: http(s) links only, anything else
as text."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.requests import Request

from jurisgraph.web import pages

EVIL = "javascript:alert(document.cookie)"
TEMPLATES = Path(pages.__file__).parent / "templates"


def _request() -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""})


def render(name: str, **context: object) -> str:
    return pages.templates.get_template(name).render(request=_request(), **context)


def test_no_template_puts_a_value_straight_into_an_href() -> None:
    found = []
    for template in TEMPLATES.glob("*.html"):
        for match in re.finditer(r'(?:href|src|action)="\{\{', template.read_text(encoding="utf-8")):
            found.append(f"{template.name}:{match.start()}")
    assert found == []


def test_link_renders_http_links_and_other_schemes_as_text() -> None:
    good = str(pages.link("https://processo.stj.jus.br/x?a=1&b=2", "STJ"))
    assert good == '<a href="https://processo.stj.jus.br/x?a=1&amp;b=2" rel="noopener noreferrer">STJ</a>'
    bad = str(pages.link(EVIL, "STJ"))
    assert "<a" not in bad and "javascript:alert(document.cookie)" in bad
    assert str(pages.link('javascript:"><script>', "x")).count("<script>") == 0


def test_pages_render_a_javascript_source_url_as_text() -> None:
    passage = {
        "document_key": "d",
        "title": "REsp 1",
        "start": 0,
        "end": 10,
        "score": 1.0,
        "text": "t",
        "stj_link": EVIL,
    }
    search = render(
        "search.html",
        q="x",
        modo="hybrid",
        orgao="",
        relator="",
        classe="",
        passages=[passage],
        error=None,
        modes=[],
    )
    detail = {
        "id": "tema:1",
        "name": "Tema 1",
        "type": "TEMA",
        "relations": [],
        "sources": [{"title": "T", "source_url": EVIL, "excerpt": "e"}],
    }
    graph = render("graph.html", q="", tipo="", found=[], detail=detail, types=[])
    for html in (search, graph):
        assert EVIL in html and 'href="javascript' not in html.lower()

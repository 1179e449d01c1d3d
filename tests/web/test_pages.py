"""Every page in Chromium at 1366×768 under the Content Security Policy: no JavaScript error, no
console error, no CSP violation, no horizontal scrolling; a screenshot of each is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from jurisgraph.web.csp import POLICY
from tests.web.conftest import sign_in_page

pytestmark = pytest.mark.browser

PAGES = {
    "painel": "/",
    "conjuntos-de-dados": "/datasets",
    "consulta": "/consulta",
    "busca": "/busca?q=Tema+1.076",
    "perguntar": "/perguntar?q=Qual+a+tese+do+Tema+1.076%3F",
    "grafo": "/grafo?entidade=tema:1076",
    "comunidades": "/comunidades",
    "registros": "/registros",
    "minha-conta": "/conta",
    "admin-pagina": "/admin",
}
#: what each page shows once its scripts have run
READY = {
    "painel": "#logs tbody tr",
    "conjuntos-de-dados": "details.dataset",
    "consulta": "#history button",
    "busca": "#passages > li",
    "perguntar": "#sources li",
    "grafo": "#entity-detail h2",
    "comunidades": "#communities tbody tr",
    "registros": "#logs tbody tr",
    "minha-conta": "#keys tbody tr",
    "admin-pagina": "#all-keys tbody tr",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_clean_under_the_policy_at_1366x768(
    name: str, sample_server: str, page_1366: Any, screenshots: Path
) -> None:
    page = page_1366
    sign_in_page(page, sample_server)  # an admin sees every page, the admin ones too
    if name == "consulta":  # a question on the trail, so the history has an entry
        page.request.get(sample_server + "/api/v1/ask/stream?q=Tema+1.076")
    response = page.goto(sample_server + PAGES[name])
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"] == POLICY
    expect(page.locator(READY[name]).first).to_be_visible()
    if name == "grafo":
        expect(page.locator("#cy[data-ready]")).to_have_count(1)
        assert int(page.locator("#cy").get_attribute("data-ready") or "0") > 1
    if name == "painel":  # htmx refreshes the activity panel under the policy too
        with page.expect_response(lambda r: "/parcial/atividade" in r.url, timeout=10_000) as polled:
            pass
        assert polled.value.status == 200
    page.wait_for_load_state("networkidle")
    assert page.problems() == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=str(screenshots / f"{name}.png"))


def test_the_check_sees_inline_script_and_style(sample_server: str, page_1366: Any) -> None:
    """The page check above would fail on an inline script or style: a page that has both."""
    page = page_1366

    def probe(route: Any) -> None:
        route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": POLICY},
            body='<!doctype html><p style="color:red">x</p><script>document.title = "ran"</script>',
        )

    page.route("**/csp-probe", probe)
    page.goto(sample_server + "/csp-probe")
    page.wait_for_timeout(300)
    problems = " ".join(page.problems())
    assert "script-src" in problems and "style-src" in problems
    assert page.title() != "ran"


def test_no_template_or_static_file_holds_inline_script_style_or_handlers() -> None:
    """Static check of the same rule: no inline <script> body, style= attribute or on*= handler."""
    import re

    from jurisgraph.web import pages

    web = Path(pages.__file__).parent
    offending = []
    for template in (web / "templates").glob("*.html"):
        html = template.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle\s*=", r"<style", r"\son[a-z]+\s*="):
            if re.search(pattern, html, flags=re.IGNORECASE):
                offending.append(f"{template.name}: {pattern}")
    assert offending == []

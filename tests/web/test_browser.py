"""The web UI in a real browser: ingest the bundled sample, then explore the graph."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import sign_in_page

pytestmark = pytest.mark.browser


def test_ingest_sample_then_explore(live_server: str, browser: Any) -> None:
    page = browser.new_page()
    page.set_default_timeout(15_000)
    sign_in_page(page, live_server)  # ingestion is for admins
    page.goto(live_server + "/datasets")
    expect(page.locator("#datasets")).to_contain_text("Nenhum dataset")
    page.click("#ingest-sample")
    # the job runs in the server; the page reloads itself when it is done
    expect(page.locator("#datasets")).to_contain_text("precedentes-qualificados", timeout=180_000)
    # sparse index written at once; dense vectors are filled in by a background job
    expect(page.locator("#datasets")).to_contain_text(re.compile(r"embedd(ing|ed)"))

    page.goto(live_server + "/")
    documents = int(page.locator('[data-stat="Documentos"]').inner_text().replace(".", ""))
    assert documents > 2000
    expect(page.locator("#logs")).to_contain_text("build_communities")

    page.goto(live_server + "/grafo")
    page.fill("#entity-search input[name=q]", "1.076")
    page.click("#entity-search button")
    page.click("#entity-results >> text=Tema 1.076/STJ")
    detail = page.locator("#entity-detail")
    expect(detail.locator("h2")).to_have_text("Tema 1.076/STJ")
    expect(detail).to_contain_text("LEADING_CASE_DE")
    expect(detail).to_contain_text("REsp 1.850.512/SP")
    page.wait_for_function("() => Number(document.getElementById('cy').dataset.ready) > 5")

    page.goto(live_server + "/busca")
    page.fill("#search-form input[name=q]", "Tema 1.076")
    page.click("#search-form button")
    first = page.locator("#passages > li").first
    expect(first).to_have_attribute("data-document", "tema:1076")
    expect(first.locator(".cite")).to_contain_text("CORTE ESPECIAL")

    page.goto(live_server + "/grafo?entidade=tema:1076")
    page.click("#entity-detail >> text=comunidade")
    expect(page.locator("#community-detail")).to_be_visible()
    expect(page.locator("#community-detail")).to_contain_text("Tema 1.076/STJ")
    page.close()


def test_unknown_entity_and_api_errors(live_server: str, browser: Any) -> None:
    page = browser.new_page()
    response = page.goto(live_server + "/api/v1/graph/entities/tema:999999")
    assert response is not None and response.status == 404
    assert "not found" in page.content()
    page.goto(live_server + "/grafo?entidade=tema:999999")
    expect(page.locator(".toast.error")).to_contain_text("not found")
    expect(page.locator("#entity-detail")).to_have_count(0)
    page.goto(live_server + "/busca?q=x&modo=nonsense")
    expect(page.locator("#search-error")).to_contain_text("unknown mode")
    page.close()

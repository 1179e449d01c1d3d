"""Documentos in a real browser: upload a PDF, watch it reach "embedded", ask about it on Consulta
and open the cited page of the document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from jurisgraph.app import create_app
from tests.documents.conftest import PseudoEmbedder
from tests.documents.helpers import CITING_PAGE, brief_pdf
from tests.fixtures.accounts import USER_EMAIL, add_user
from tests.fixtures.processes import serving
from tests.fixtures.sample import Sample
from tests.web.conftest import sign_in_page

pytestmark = pytest.mark.browser

QUESTION = "No meu recurso, o que o REsp 1.679.185 diz sobre a conversão em renda dos depósitos judiciais?"


@pytest.fixture
def uploads_server(own_sample: Sample) -> Iterator[str]:
    """The app on a private copy of the sample whose embedder also embeds documents."""
    container = own_sample.container
    container.provide(embedder=PseudoEmbedder(container.embedder().signature))
    add_user(container, USER_EMAIL, role="user")
    app = create_app(own_sample.settings)
    with serving(app) as url:
        own = app.state.container
        app.state.container = container
        try:
            yield url
        finally:
            app.state.container = own


def test_upload_a_pdf_watch_it_embed_ask_and_open_the_cited_page(
    uploads_server: str, page_1366: Any, screenshots: Path
) -> None:
    page = page_1366
    sign_in_page(page, uploads_server, USER_EMAIL)
    page.goto(uploads_server + "/")
    page.click("#nav-documents")
    expect(page.locator("#documents")).to_contain_text("Nenhum documento enviado")
    page.set_input_files(
        "#file-input",
        files=[{"name": "recurso especial.pdf", "mimeType": "application/pdf", "buffer": brief_pdf()}],
    )
    row = page.locator("#documents tr[data-document]")
    expect(row).to_have_count(1)
    expect(row.locator("td.status")).to_have_text("embedded", timeout=60_000)
    expect(row).to_contain_text("recurso especial.pdf")
    expect(row.locator("td.num").first).to_have_text("3")
    page.screenshot(path=str(screenshots / "documentos.png"))

    page.goto(uploads_server + "/consulta")
    page.fill("#ask-form textarea[name=q]", QUESTION)
    page.click("#ask-button")
    answer = page.locator(".msg.assistant[data-query-id]").last
    expect(answer).to_be_visible()
    mine = answer.locator('ol.sources li[data-document^="upload:"]').first
    expect(mine).to_be_visible()
    mine.locator("button.cite-ref").click()
    expect(page.locator("#passage-meta")).to_contain_text(f"página {CITING_PAGE}")
    page.click("#passage-meta a.page-link")
    expect(page.locator("#page-number")).to_have_text(f"Página {CITING_PAGE}")
    expect(page.locator("#page-text")).to_contain_text("conversão em renda dos depósitos judiciais")
    page.screenshot(path=str(screenshots / "documento-pagina.png"))

    # delete from Documentos
    page.goto(uploads_server + "/documentos")
    page.click("#documents button[data-delete]")
    expect(page.locator("#documents")).to_contain_text("Nenhum documento enviado")
    assert page.problems() == []

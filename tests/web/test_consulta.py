"""Consulta in Chromium: ask a question, read the streamed answer, open a citation and see the cited
passage with the quoted span highlighted, open the reasoning chain, reopen it from the history."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.fixtures.accounts import USER_EMAIL
from tests.fixtures.sample import flat, sample_tema
from tests.web.conftest import sign_in_page

pytestmark = pytest.mark.browser

QUESTION = "Qual a tese do Tema 1.076? (consulta no navegador)"


def test_ask_open_a_citation_and_reopen_from_history(
    sample_server: str, page_1366: Any, screenshots: Path
) -> None:
    page = page_1366
    sign_in_page(page, sample_server, USER_EMAIL)  # the history is the signed-in user's
    page.goto(sample_server + "/consulta")
    page.fill("#ask-form textarea[name=q]", QUESTION)
    page.select_option("#ask-form select[name=mode]", "local")
    page.click("#ask-button")

    answer = page.locator(".msg.assistant[data-query-id]").last
    expect(answer).to_have_attribute("data-query-id", re.compile(r"^\d+$"))
    query_id = answer.get_attribute("data-query-id")
    thesis = flat(sample_tema(1076)["teseFirmada"])
    assert thesis[:120] in flat(answer.locator(".answer").inner_text())
    expect(answer.locator(".grounding.ok")).to_be_visible()
    chip = answer.locator("p.entities a.chip", has_text="Tema 1.076/STJ")
    expect(chip).to_have_attribute("href", "/grafo?entidade=tema%3A1076")
    page.screenshot(path=str(screenshots / "consulta-resposta.png"))

    # a citation opens the passage it cites, the quoted words highlighted
    answer.locator(".answer button.cite-ref").first.click()
    dialog = page.locator("#passage")
    expect(dialog).to_be_visible()
    expect(page.locator("#passage-title")).to_contain_text("[1]")
    marked = page.locator("#passage-text mark")
    expect(marked.first).to_be_visible()
    # the answer quotes the thesis from source 1: that is what is highlighted in the passage
    quoted = flat(" ".join(marked.all_inner_texts()))
    assert thesis[:200] in quoted and quoted in flat(answer.locator(".answer").inner_text())
    page.screenshot(path=str(screenshots / "consulta-citacao.png"))
    page.click("#passage-close")
    expect(dialog).to_be_hidden()

    # the reasoning chain is folded until asked for
    chain = answer.locator("details.reasoning")
    expect(chain.locator("pre")).to_be_hidden()
    chain.locator("summary").click()
    expect(chain.locator("pre")).to_contain_text('"step": "grounding"')

    # the history lists the question; clicking it reopens the stored answer with its citations
    entry = page.locator(f'#history button[data-query-id="{query_id}"]')
    expect(entry).to_contain_text(QUESTION[:60])
    page.reload()
    page.locator(f'#history button[data-query-id="{query_id}"]').click()
    reopened = page.locator(f'.msg.assistant[data-query-id="{query_id}"]')
    expect(reopened).to_have_count(1)
    assert thesis[:120] in flat(reopened.locator(".answer").inner_text())
    reopened.locator(".answer button.cite-ref").first.click()
    # the audit row keeps 300 characters of each source; the passage is read back whole
    expect(page.locator("#passage-text mark").first).to_be_visible()
    assert len(page.locator("#passage-text").inner_text()) > 300
    page.screenshot(path=str(screenshots / "consulta-historico.png"))
    assert page.problems() == []


def test_an_invalid_question_shows_the_error(sample_server: str, page_1366: Any) -> None:
    page = page_1366
    page.goto(sample_server + "/consulta")
    page.fill("#ask-form input[name=from]", "2020-01-01")
    page.evaluate("() => { document.querySelector('#ask-form textarea').value = 'x'.repeat(2001); }")
    page.evaluate("() => document.querySelector('#ask-form textarea').removeAttribute('maxlength')")
    page.click("#ask-button")
    expect(page.locator(".msg.assistant .answer .error")).to_be_visible()

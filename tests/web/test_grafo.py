"""Grafo in Chromium: search an entity, open it, filter a type, click a neighbour to see its details
and add its own neighbours to the view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def node_count(page: Any) -> int:
    return int(page.locator("#cy").get_attribute("data-ready") or "0")


def test_search_open_filter_and_expand(sample_server: str, page_1366: Any, screenshots: Path) -> None:
    page = page_1366
    page.goto(sample_server + "/grafo")
    page.fill("#entity-search input[name=q]", "1.076")
    page.click("#entity-search button")
    page.click("#entity-results >> text=Tema 1.076/STJ")
    detail = page.locator("#entity-detail")
    expect(detail.locator("h2")).to_have_text("Tema 1.076/STJ")
    expect(detail).to_contain_text("LEADING_CASE_DE")
    expect(page.locator("#cy[data-ready]")).to_have_count(1)
    page.wait_for_function("() => Number(document.getElementById('cy').dataset.ready) > 1")
    before = node_count(page)

    # a neighbour that was not expanded yet, clicked where it is drawn
    target = page.evaluate(
        """() => {
          const cy = window.jgGraph;
          const node = cy.nodes().filter((n) => !n.hasClass("expanded")).max((n) => n.degree()).ele;
          const box = document.getElementById("cy").getBoundingClientRect();
          const at = node.renderedPosition();
          return {id: node.id(), name: node.data("label"), x: box.left + at.x, y: box.top + at.y};
        }"""
    )
    page.mouse.click(target["x"], target["y"])
    expect(page.locator("#entity-detail")).to_have_attribute("data-entity", target["id"])
    expect(page.locator("#cy")).to_have_attribute("data-expanded", target["id"])
    after = node_count(page)
    assert after > before, (before, after)
    edges = page.evaluate(f"() => window.jgGraph.getElementById({target['id']!r}).connectedEdges().length")
    assert edges > 1
    page.screenshot(path=str(screenshots / "grafo-expandido.png"))

    # hiding a type hides exactly its nodes
    types = page.evaluate("() => window.jgGraph.nodes().map((n) => n.data('type'))")
    hidden = max(set(types), key=types.count)
    visible_count = "(n) => window.jgGraph.nodes(':visible').length === n"
    page.locator(f'#type-filters input[value="{hidden}"]').uncheck()
    page.wait_for_function(visible_count, arg=len(types) - types.count(hidden))
    visible = page.evaluate("() => window.jgGraph.nodes(':visible').map((n) => n.data('type'))")
    assert hidden not in visible
    page.locator(f'#type-filters input[value="{hidden}"]').check()
    page.wait_for_function(visible_count, arg=len(types))

    # community colours: nodes of one community share a colour, different ones differ
    colours = page.evaluate(
        """() => {
          const seen = {};
          for (const n of window.jgGraph.nodes()) {
            const c = n.data("community");
            if (c) (seen[c] = seen[c] || new Set()).add(n.style("background-color"));
          }
          return Object.values(seen).map((s) => s.size);
        }"""
    )
    assert colours and all(size == 1 for size in colours)
    assert page.problems() == []

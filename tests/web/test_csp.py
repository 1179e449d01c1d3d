"""The templates keep to the Content-Security-Policy the app sends: no inline script, no inline
style, no event-handler attributes (scripts and styles come from /static)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jurisgraph.web import pages

TEMPLATES = sorted((Path(pages.__file__).parent / "templates").glob("*.html"))
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle=", re.I),
    "event handler": re.compile(r"\son[a-z]+=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_inline_code(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert [name for name, pattern in INLINE.items() if pattern.search(text)] == []

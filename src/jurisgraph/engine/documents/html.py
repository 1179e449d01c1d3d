"""HTML to clean text with selectolax (Lexbor): no script, style, navigation or page chrome."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from jurisgraph.engine.documents.errors import reject
from jurisgraph.engine.documents.txt import decode_text
from jurisgraph.engine.documents.types import ExtractedText
from jurisgraph.engine.documents.util import normalise_text, single_page

_DROP = "script, style, noscript, template, nav, header, footer, aside, svg, iframe, form, button, head"
_SPACES = re.compile(r"[ \t\xa0]+")


def extract_html(data: bytes) -> ExtractedText:
    """The visible text of an HTML document as one page (one line per block)."""
    raw, encoding = decode_text(data)
    tree = LexborHTMLParser(raw)
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        raise reject("empty")
    text = root.text(separator="\n", strip=True)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = normalise_text(text)
    if not text:
        raise reject("empty", detail="no visible text")
    return ExtractedText("html", text, single_page(text), encoding)

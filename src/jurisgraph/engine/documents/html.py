"""HTML to clean text with selectolax (Lexbor): no script, style, navigation or page chrome."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from jurisgraph.engine.documents.errors import reject
from jurisgraph.engine.documents.txt import decode_text
from jurisgraph.engine.documents.types import ExtractedText
from jurisgraph.engine.documents.util import normalise_text, single_page

_DROP = "script, style, noscript, template, nav, header, footer, aside, svg, iframe, form, button, head"
_BLOCKS = (
    "p, div, br, hr, li, dd, dt, tr, table, ul, ol, dl, h1, h2, h3, h4, h5, h6, section, article, main,"
    " blockquote, pre, address, figure, figcaption, caption"
)
_CELLS = "td, th"
_SPACES = re.compile(r"[ \t\xa0]+")
_CELL_END = re.compile(r"(\s*\|\s*)+$")


def extract_html(data: bytes) -> ExtractedText:
    """The visible text of an HTML document as one page (one line per block)."""
    raw, encoding = decode_text(data)
    tree = LexborHTMLParser(raw)
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        raise reject("empty")
    for node in root.css(_CELLS):
        node.insert_after(" | ")
    for node in root.css(_BLOCKS):
        node.insert_before("\n")
        node.insert_after("\n")
    text = root.text(deep=True, separator="", strip=False)
    text = "\n".join(_CELL_END.sub("", _SPACES.sub(" ", line)).strip() for line in text.split("\n"))
    text = normalise_text(text)
    if not text:
        raise reject("empty", detail="no visible text")
    return ExtractedText("html", text, single_page(text), encoding)

"""Small text steps shared by the extractors: line ends, stray control characters, page joining."""

from __future__ import annotations

import re
import unicodedata

from jurisgraph.engine.documents.types import PageSpan

PAGE_SEPARATOR = "\n\n"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_RUN = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """NFC, ``\\n`` line ends, no control characters, no trailing spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _BLANK_RUN.sub("\n\n", text)
    return text.strip()


def join_pages(texts: list[str]) -> tuple[str, tuple[PageSpan, ...]]:
    """The pages joined by :data:`PAGE_SEPARATOR`, with each page's span in the joined text."""
    parts: list[str] = []
    spans: list[PageSpan] = []
    position = 0
    for number, page in enumerate(texts, start=1):
        if number > 1:
            parts.append(PAGE_SEPARATOR)
            position += len(PAGE_SEPARATOR)
        parts.append(page)
        spans.append(PageSpan(number, position, position + len(page)))
        position += len(page)
    return "".join(parts), tuple(spans)


def single_page(text: str) -> tuple[PageSpan, ...]:
    """One page 1 spanning all of ``text``."""
    return (PageSpan(1, 0, len(text)),)

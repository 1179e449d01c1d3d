"""What text extraction takes and gives: the limits, the extracted text and its page spans."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

DocumentKind = Literal["pdf", "docx", "txt", "html"]
"""The kinds of document that extraction reads, detected from their content."""

KINDS: tuple[DocumentKind, ...] = ("pdf", "docx", "txt", "html")


@dataclass(frozen=True, slots=True)
class ExtractLimits:
    """Bounds an extraction refuses to cross (each a :class:`DocumentRejected` when crossed).

    ``max_bytes``: size of the file; ``max_pages``: pages of a PDF; ``max_docx_uncompressed``:
    total declared uncompressed size of the members of a DOCX (the zip-bomb guard).
    """

    max_bytes: int
    max_pages: int
    max_docx_uncompressed: int

    @classmethod
    def from_upload_mb(cls, max_upload_mb: int, *, max_pages: int = 2000) -> ExtractLimits:
        """Limits for a size limit in MB: a DOCX may inflate to 20 times that (at least 100 MB)."""
        max_bytes = max_upload_mb * 1024 * 1024
        return cls(max_bytes, max_pages, max(100 * 1024 * 1024, 20 * max_bytes))


@dataclass(frozen=True, slots=True)
class PageSpan:
    """One page of the extracted text: 1-based ``number``, characters ``text[start:end]``."""

    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """The text of a document with its page spans (TXT, DOCX and HTML are one page 1).

    ``encoding`` is the detected character set of a TXT or HTML file, ``None`` for PDF and DOCX.
    """

    kind: DocumentKind
    text: str
    pages: tuple[PageSpan, ...]
    encoding: str | None = None

    def page_text(self, number: int) -> str:
        """The text of page ``number`` (1-based)."""
        span = self.pages[number - 1]
        return self.text[span.start : span.end]

    def pages_metadata(self) -> list[dict[str, int]]:
        """The page spans as JSON-ready dictionaries (``number``, ``start``, ``end``)."""
        return [{"number": p.number, "start": p.start, "end": p.end} for p in self.pages]


def page_of(pages: Sequence[PageSpan], offset: int) -> int:
    """The page number holding character ``offset`` (a separator between pages counts for the
    page before it; an offset past the end belongs to the last page; no pages → 1)."""
    if not pages:
        return 1
    starts = [p.start for p in pages]
    index = bisect.bisect_right(starts, offset) - 1
    return pages[max(0, index)].number

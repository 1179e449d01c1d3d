"""One entry point: :func:`extract` checks the limits, detects the kind and runs its extractor."""

from __future__ import annotations

from jurisgraph.engine.documents.detect import detect_kind
from jurisgraph.engine.documents.docx import extract_docx
from jurisgraph.engine.documents.errors import reject
from jurisgraph.engine.documents.html import extract_html
from jurisgraph.engine.documents.pdf import extract_pdf
from jurisgraph.engine.documents.txt import extract_txt
from jurisgraph.engine.documents.types import ExtractedText, ExtractLimits


def check_size(data: bytes, limits: ExtractLimits) -> None:
    """``empty`` for no content or white space only, ``too_large`` over ``limits.max_bytes``."""
    if len(data) > limits.max_bytes:
        raise reject("too_large", detail=f"{len(data)} bytes, limit {limits.max_bytes}")
    if not data.strip():
        raise reject("empty")


def extract(data: bytes, limits: ExtractLimits) -> ExtractedText:
    """The text of a PDF, DOCX, TXT or HTML document, its kind detected from the bytes.

    Raises :class:`~jurisgraph.errors.DocumentRejected` with the reason when the document is
    empty, too large, of another type, corrupt, encrypted, a zip bomb, binary, too long or has
    no text layer. The result's page spans slice ``text`` back to each page's text.
    """
    check_size(data, limits)
    kind = detect_kind(data)
    if kind == "pdf":
        return extract_pdf(data, limits)
    if kind == "docx":
        return extract_docx(data, limits)
    if kind == "html":
        return extract_html(data)
    return extract_txt(data)

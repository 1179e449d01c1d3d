"""PDF text with pypdfium2: text per page, pages joined by a blank line, spans kept."""

from __future__ import annotations

import threading

import pypdfium2 as pdfium

from jurisgraph.engine.documents.errors import reject
from jurisgraph.engine.documents.types import ExtractedText, ExtractLimits
from jurisgraph.engine.documents.util import join_pages, normalise_text

_PDFIUM = threading.Lock()
"""PDFium is not thread-safe: one extraction at a time per process (request threads, job workers)."""

# pdfium's error codes (FPDF_GetLastError): 4 is "password required or incorrect", 3 "format"
_PDFIUM_PASSWORD = 4


def extract_pdf(data: bytes, limits: ExtractLimits) -> ExtractedText:
    """Text of every page of a PDF; refuses encrypted, corrupt, too long and text-less PDFs."""
    with _PDFIUM:
        texts = _page_texts(data, limits)
    if not any(t.strip() for t in texts):
        raise reject("no_text_layer")
    text, pages = join_pages(texts)
    return ExtractedText("pdf", text, pages, None)


def _page_texts(data: bytes, limits: ExtractLimits) -> list[str]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == _PDFIUM_PASSWORD or "password" in str(error).lower():
            raise reject("encrypted") from error
        raise reject("corrupt", detail=str(error)) from error
    try:
        count = len(document)
        if count == 0:
            raise reject("corrupt", detail="no pages")
        if count > limits.max_pages:
            raise reject("too_many_pages", detail=f"{count} pages, limit {limits.max_pages}")
        texts: list[str] = []
        for index in range(count):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    texts.append(normalise_text(textpage.get_text_bounded()))
                finally:
                    textpage.close()
            except pdfium.PdfiumError as error:
                raise reject("corrupt", detail=f"page {index + 1}: {error}") from error
            finally:
                page.close()
    finally:
        document.close()
    return texts

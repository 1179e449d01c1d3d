"""Text extraction from documents (PDF, DOCX, TXT, HTML), pure: bytes in, text and page spans out.

The kind is detected from the content, never from a file name; every refusal is one
:class:`~jurisgraph.errors.DocumentRejected` whose ``reason`` says why.
"""

from jurisgraph.engine.documents.detect import detect_kind
from jurisgraph.engine.documents.extract import check_size, extract
from jurisgraph.engine.documents.types import (
    KINDS,
    DocumentKind,
    ExtractedText,
    ExtractLimits,
    PageSpan,
    page_of,
)
from jurisgraph.errors import DocumentRejected, RejectReason

__all__ = [
    "KINDS",
    "DocumentKind",
    "DocumentRejected",
    "ExtractLimits",
    "ExtractedText",
    "PageSpan",
    "RejectReason",
    "check_size",
    "detect_kind",
    "extract",
    "page_of",
]

"""The kind of a document from its bytes (magic numbers and content), never from its name."""

from __future__ import annotations

import io
import re
import zipfile

from jurisgraph.engine.documents.errors import reject
from jurisgraph.engine.documents.types import DocumentKind

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_START = re.compile(
    rb"<(!doctype\s+html|html|head|body|meta|title|div|p|h[1-6]|table|article|section|span|br)[\s>/]",
    re.IGNORECASE,
)
_ZIP_MAGIC = b"PK\x03\x04"


def detect_kind(data: bytes) -> DocumentKind:
    """``pdf`` (``%PDF-``), ``docx`` (a zip holding ``word/document.xml``), ``html`` (a leading
    doctype or tag after BOM and white space) or ``txt`` (anything else that is not binary).

    Raises :class:`~jurisgraph.errors.DocumentRejected` (``empty`` or ``unsupported_type``).
    """
    if not data.strip():
        raise reject("empty")
    head = data[:1024]
    if _is_pdf(head):
        return "pdf"
    if head.startswith(_ZIP_MAGIC):
        if _is_docx(data):
            return "docx"
        raise reject("unsupported_type", detail="a ZIP archive that is not a DOCX document")
    text_head = head
    for bom in _BOMS:
        if text_head.startswith(bom):
            text_head = text_head[len(bom) :]
            break
    if text_head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in text_head[:2]:
        # UTF-16 text: look at it with its NULs removed
        text_head = text_head.replace(b"\x00", b"")
    stripped = text_head.lstrip()
    if stripped.startswith(b"<!--"):
        end = stripped.find(b"-->")
        stripped = stripped[end + 3 :].lstrip() if end >= 0 else b""
    if _HTML_START.match(stripped):
        return "html"
    if _looks_binary(head):
        raise reject("unsupported_type", detail="binary content of an unknown type")
    return "txt"


def _is_pdf(head: bytes) -> bool:
    """``%PDF-`` at the start (after white space), or within the first kilobyte after bytes
    that are not text (readers accept such a prefix; a text that quotes ``%PDF-`` is no PDF)."""
    at = head.find(b"%PDF-")
    if at < 0:
        return False
    prefix = head[:at]
    if not prefix.strip(b"\x00\t\r\n "):
        return True
    try:
        prefix.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return b"\x00" in prefix


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


_KNOWN_BINARY = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"BZh",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\xd0\xcf\x11\xe0",  # OLE (old .doc, .xls)
    b"\x7fELF",
    b"MZ",
)


def _looks_binary(head: bytes) -> bool:
    if head.startswith(_KNOWN_BINARY):
        return True
    if head.startswith(_BOMS):
        return False
    return b"\x00" in head

"""Portal resources that are documents (PDF, DOCX, TXT, HTML), such as the atas de distribuição:
one :class:`SourceDocument` of kind ``public_document`` each, its text from
:func:`~jurisgraph.engine.documents.extract` and its page spans in the metadata."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import PurePosixPath

from jurisgraph.engine.documents import ExtractLimits, extract
from jurisgraph.engine.stj.results import ParseResult
from jurisgraph.engine.text import safe_filename
from jurisgraph.engine.types import DocumentMeta, SourceDocument

KIND = "public_document"
DOCUMENT_EXTENSIONS = frozenset({".pdf", ".docx", ".txt", ".html", ".htm"})
DOCUMENT_FORMATS = frozenset({"pdf", "docx", "txt", "html", "htm", "text", "text/plain", "text/html"})
"""CKAN ``format`` values (lower-cased) of a document resource."""

LIMITS = ExtractLimits(max_bytes=512 * 1024 * 1024, max_pages=5000, max_docx_uncompressed=1024 * 1024 * 1024)
"""Bounds of a portal document (the download's own size limit comes first)."""


def is_document(file_name: str, fmt: str | None = None) -> bool:
    """Whether a resource is a document: its CKAN ``format`` or else its extension says so."""
    if fmt and fmt.strip().lower() in DOCUMENT_FORMATS:
        return True
    return PurePosixPath(file_name.replace("\\", "/")).suffix.lower() in DOCUMENT_EXTENSIONS


def document_key(source_name: str, source_url: str | None) -> str:
    """A key stable across runs for one portal resource (its URL, else its name)."""
    origin = source_url or source_name
    return f"{KIND}:{hashlib.sha256(origin.encode('utf-8')).hexdigest()[:24]}"


def parse_public_document(
    data: bytes,
    *,
    source_name: str,
    source_url: str | None = None,
    published: date | None = None,
    limits: ExtractLimits = LIMITS,
) -> ParseResult:
    """One document with the extracted text; :class:`~jurisgraph.errors.DocumentRejected`
    (raised) when the file cannot be read as a document (no text layer, encrypted, corrupt…).
    ``published`` is the publication date (from the resource's name) when known."""
    extracted = extract(data, limits)
    title = safe_filename(source_name)
    meta = DocumentMeta(
        tipo="DOCUMENTO",
        data_publicacao=published,
        source_url=source_url,
        extra={
            "format": extracted.kind,
            "encoding": extracted.encoding,
            "file_name": title,
            "page_count": len(extracted.pages),
            "pages": extracted.pages_metadata(),
        },
    )
    document = SourceDocument(
        key=document_key(source_name, source_url),
        kind=KIND,
        title=title,
        text=extracted.text,
        meta=meta,
    )
    return ParseResult(documents=[document], encoding=extracted.encoding)

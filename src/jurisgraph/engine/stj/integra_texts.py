"""Full texts of the íntegras: a daily ZIP of ``<seqDocumento>.txt`` entries.

Entries are read with hard limits (per entry and in total, counted on the bytes actually
inflated, not on the sizes the ZIP claims) so a zip bomb cannot exhaust memory. Each text is
decoded as UTF-8, else Windows-1252, else ISO-8859-1; the encoding used is reported per entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import structlog

from jurisgraph.engine.stj.integras import FULL_TEXT, KIND
from jurisgraph.engine.stj.results import FileError, Skip
from jurisgraph.engine.stj.zips import DEFAULT_MAX_TOTAL_BYTES, ZipReport, iter_members
from jurisgraph.engine.types import SourceDocument

log = structlog.get_logger(__name__)

DEFAULT_MAX_ENTRY_BYTES = 32 * 1024 * 1024
_ENTRY = re.compile(r"(?:^|/)(\d+)\.txt$", re.IGNORECASE)


@dataclass(slots=True)
class IntegraTexts:
    """Texts by ``seqDocumento``, the encoding of each, skipped entries and ZIP-level errors."""

    texts: dict[str, str] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)
    skipped: list[Skip] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)


@dataclass(slots=True)
class AttachResult:
    """Documents with full texts where the ZIP had one; ``missing``/``unmatched`` are seq numbers."""

    documents: list[SourceDocument]
    encodings: dict[str, str]
    missing: list[str]
    unmatched: list[str]
    skipped: list[Skip]
    errors: list[FileError]


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode one decision text: UTF-8 (BOM allowed), else Windows-1252, else ISO-8859-1."""
    for codec in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        return text, "utf-8" if codec == "utf-8-sig" else codec
    return data.decode("iso-8859-1"), "iso-8859-1"


def read_integra_texts(
    zip_bytes: bytes,
    *,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
) -> IntegraTexts:
    """Read every ``<seq>.txt`` entry of a daily ZIP within the size limits."""
    report = ZipReport()
    result = IntegraTexts(skipped=report.skipped, errors=report.errors)
    members = iter_members(
        zip_bytes, _ENTRY, report, max_total_bytes=max_total_bytes, max_entry_bytes=max_entry_bytes
    )
    for _index, name, data in members:
        match = _ENTRY.search(name)
        seq = str(int(match.group(1))) if match else name
        text, codec = decode_text(data)
        result.texts[seq] = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        result.encodings[seq] = codec
    return result


def attach_integra_texts(
    documents: Iterable[SourceDocument],
    zip_bytes: bytes,
    *,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
) -> AttachResult:
    """Replace each íntegra document's text with its full text from the ZIP, when present.

    Other documents, and íntegras without an entry (listed in ``missing``) or with an empty one,
    are returned unchanged; ``meta.extra`` gains ``full_text`` and ``text_encoding``.
    """
    found = read_integra_texts(zip_bytes, max_total_bytes=max_total_bytes, max_entry_bytes=max_entry_bytes)
    out: list[SourceDocument] = []
    missing: list[str] = []
    used: set[str] = set()
    for doc in documents:
        seq = doc.key.partition(":")[2] if doc.kind == KIND else None
        text = found.texts.get(seq) if seq else None
        if seq and not text:
            missing.append(seq)
        if not seq or not text:
            out.append(doc)
            continue
        used.add(seq)
        extra = {**doc.meta.extra, FULL_TEXT: True, "text_encoding": found.encodings[seq]}
        out.append(replace(doc, text=text, meta=replace(doc.meta, extra=extra)))
    unmatched = sorted(set(found.texts) - used, key=int)
    log.info("integra_texts_attached", attached=len(used), missing=len(missing), unmatched=len(unmatched))
    return AttachResult(out, found.encodings, missing, unmatched, found.skipped, found.errors)

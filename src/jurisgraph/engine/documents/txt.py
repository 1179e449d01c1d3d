"""Plain text: UTF-8 first, else the character set charset-normalizer finds; binary is refused."""

from __future__ import annotations

import charset_normalizer

from jurisgraph.engine.documents.errors import reject
from jurisgraph.engine.documents.types import ExtractedText
from jurisgraph.engine.documents.util import normalise_text, single_page

_PREFERRED = ("cp1252", "latin_1", "iso8859_15")
_BOMS = {b"\xef\xbb\xbf": "utf-8-sig", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}


def decode_text(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of bytes meant as text: a BOM, else UTF-8, else the best guess of
    charset-normalizer. Raises ``binary_text`` for NUL bytes or content that no charset reads."""
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise reject("binary_text", detail=str(error)) from error
    if b"\x00" in data:
        raise reject("binary_text", detail="NUL bytes")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise reject("binary_text", detail="no character set decodes it")
    # the detector ranks equally plausible single-byte sets in no useful order; Brazilian
    # documents that are not UTF-8 are Windows-1252 or Latin-1, so those win among the least chaotic
    least = min(m.chaos for m in matches)
    calm = [m for m in matches if m.chaos <= least + 0.01]
    chosen = next((m for name in _PREFERRED for m in calm if m.encoding == name), calm[0])
    return str(chosen), chosen.encoding


def extract_txt(data: bytes) -> ExtractedText:
    """The text of a TXT file as one page."""
    raw, encoding = decode_text(data)
    if _control_ratio(raw) > 0.05:
        raise reject("binary_text", detail="too many control characters")
    text = normalise_text(raw)
    if not text:
        raise reject("empty")
    return ExtractedText("txt", text, single_page(text), encoding)


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:65536]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f")
    return controls / len(sample)

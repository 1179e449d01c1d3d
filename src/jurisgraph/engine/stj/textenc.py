"""Decode published files whose declared encoding cannot be trusted.

Heuristics, cheapest first:

1. valid UTF-8 wins (real ISO-8859-1 Portuguese text is practically never valid UTF-8); when
   the decoded text shows double-encoding (``Ã§`` for ``ç``) it is repaired;
2. otherwise ISO-8859-1, unless the bytes hold C1 controls (0x80-0x9F), NUL, or UTF-8
   mojibake: then each line is decoded on its own (UTF-8, then ISO-8859-1, then Windows-1252),
   and bytes no encoding accepts are replaced with U+FFFD and reported by line number.

Every departure from the declared encoding is reported as a :class:`FileError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jurisgraph.engine.stj.results import FileError

UTF8 = "utf-8"
LATIN1 = "iso-8859-1"
CP1252 = "cp1252"
MIXED = "mixed"

_LATIN_ALIASES = {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "iso_8859_1", "l1", "8859"}
_SUSPECT_BYTES = re.compile(rb"[\x00\x80-\x9f]")
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]")
_MAX_LISTED_LINES = 10


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the encoding actually used, and what departed from the declaration."""

    text: str
    encoding: str
    errors: tuple[FileError, ...] = ()


def _label(declared: str) -> str:
    name = declared.strip().lower()
    return LATIN1 if name in _LATIN_ALIASES else name.replace("_", "-")


def _repair_double_encoding(text: str) -> str | None:
    """Undo UTF-8 bytes that were read as ISO-8859-1/Windows-1252 and re-encoded as UTF-8."""
    if len(_MOJIBAKE.findall(text, 0, 200_000)) < 3:
        return None
    for codec in (LATIN1, CP1252):
        try:
            return text.encode(codec).decode(UTF8)
        except UnicodeError:
            continue
    return None


def _decode_line(line: bytes) -> tuple[str, str | None]:
    """Decode one line; the second item is the encoding used, or None when bytes were replaced."""
    if line.isascii():
        return line.decode("ascii"), "ascii"
    try:
        return line.decode(UTF8), UTF8
    except UnicodeDecodeError:
        pass
    if _SUSPECT_BYTES.search(line) is None:
        return line.decode(LATIN1), LATIN1
    if b"\x00" not in line:
        try:
            return line.decode(CP1252), CP1252
        except UnicodeDecodeError:
            pass
    return line.decode(CP1252, errors="replace").replace("\x00", "\ufffd"), None


def _by_line(data: bytes, declared: str) -> Decoded:
    parts: list[str] = []
    used: dict[str, int] = {}
    bad: list[int] = []
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        text, codec = _decode_line(line)
        parts.append(text)
        if codec is None:
            bad.append(number)
        elif codec != "ascii":
            used[codec] = used.get(codec, 0) + 1
    errors: list[FileError] = []
    if len(used) > 1:
        encoding = MIXED
        counts = ", ".join(f"{count} line(s) {codec}" for codec, count in sorted(used.items()))
        errors.append(FileError("encoding", f"mixed encodings ({counts}); each line decoded on its own"))
    else:
        encoding = next(iter(used), LATIN1)
        if encoding != declared:
            errors.append(FileError("encoding", f"declared {declared} but the bytes are {encoding}"))
    if bad:
        listed = ", ".join(str(n) for n in bad[:_MAX_LISTED_LINES])
        more = f" and {len(bad) - _MAX_LISTED_LINES} more" if len(bad) > _MAX_LISTED_LINES else ""
        errors.append(
            FileError(
                "undecodable",
                f"invalid bytes for UTF-8, ISO-8859-1 and Windows-1252 on line(s) {listed}{more}; "
                "replaced with U+FFFD",
            )
        )
    return Decoded("".join(parts), encoding, tuple(errors))


def decode_bytes(data: bytes, declared: str = UTF8) -> Decoded:
    """Decode ``data`` that claims to be in ``declared`` encoding (see the module docstring)."""
    declared = _label(declared)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode(UTF8)
    except UnicodeDecodeError:
        pass
    else:
        errors: list[FileError] = []
        if declared != UTF8 and not data.isascii():
            errors.append(FileError("encoding", f"declared {declared} but the bytes are valid UTF-8"))
        repaired = _repair_double_encoding(text)
        if repaired is not None:
            errors.append(FileError("encoding", "double-encoded UTF-8 (mojibake) repaired"))
            text = repaired
        if "\x00" in text:
            errors.append(FileError("undecodable", "NUL bytes in a text file; replaced with U+FFFD"))
            text = text.replace("\x00", "\ufffd")
        return Decoded(text, UTF8, tuple(errors))
    if _SUSPECT_BYTES.search(data) is None:
        text = data.decode(LATIN1)
        if _MOJIBAKE.search(text) is None:
            errors = (
                []
                if declared == LATIN1
                else [FileError("encoding", f"declared {declared} but not valid UTF-8; decoded as {LATIN1}")]
            )
            return Decoded(text, LATIN1, tuple(errors))
    return _by_line(data, declared)

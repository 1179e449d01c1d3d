"""Result types shared by the STJ record parsers, and cross-file deduplication."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from jurisgraph.engine.types import SourceDocument


@dataclass(frozen=True, slots=True)
class Skip:
    """A record left out: its 0-based position in the file (-1 for a group of rows), id, and why."""

    index: int
    record_id: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class FileError:
    """A file-level problem; records that could be recovered are still in the result.

    ``code`` is one of ``malformed_json``, ``truncated_json``, ``not_json``, ``not_an_array``,
    ``encoding`` (decoded with another encoding than declared), ``undecodable`` (invalid
    bytes), ``bad_csv``, ``missing_columns``, ``bad_zip``, ``too_large``.
    """

    code: str
    message: str


@dataclass(slots=True)
class ParseResult:
    """What one parser call produced: documents, skipped records, file-level errors."""

    documents: list[SourceDocument] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        """True when the file had no file-level problem (skipped records do not count)."""
        return not self.errors


def dedupe_documents(documents: Iterable[SourceDocument]) -> list[SourceDocument]:
    """Collapse documents sharing a key: the **last seen wins**, at the first one's position.

    Feed documents in file order (oldest monthly file first): the STJ republishes an acórdão in a
    later month when its espelho is corrected, so the later record is the current one.
    """
    order: dict[str, int] = {}
    kept: list[SourceDocument] = []
    for doc in documents:
        position = order.get(doc.key)
        if position is None:
            order[doc.key] = len(kept)
            kept.append(doc)
        else:
            kept[position] = doc
    return kept

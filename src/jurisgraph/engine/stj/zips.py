"""Read ZIP members with hard size limits (guards against zip bombs).

Limits are checked on the bytes actually inflated, not only on the sizes the archive claims.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from jurisgraph.engine.stj.results import FileError, Skip

DEFAULT_MAX_TOTAL_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_ENTRY_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class ZipReport:
    """Entries left out and archive-level errors, filled while :func:`iter_members` runs."""

    skipped: list[Skip] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)


def iter_members(
    zip_bytes: bytes,
    pattern: re.Pattern[str],
    report: ZipReport,
    *,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
) -> Iterator[tuple[int, str, bytes]]:
    """Yield ``(index, name, data)`` for members whose name matches ``pattern``.

    Oversized or unreadable members are skipped (``Skip.record_id`` is the member name); reading
    stops with a ``too_large`` error once ``max_total_bytes`` have been inflated.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        report.errors.append(FileError("bad_zip", f"not a readable ZIP: {exc}"))
        return
    total = 0
    with archive:
        for index, info in enumerate(archive.infolist()):
            if info.is_dir() or pattern.search(info.filename) is None:
                continue
            if info.file_size > max_entry_bytes:
                reason = f"declares {info.file_size} bytes (limit {max_entry_bytes})"
                report.skipped.append(Skip(index, info.filename, reason))
                continue
            try:
                with archive.open(info) as handle:
                    data = handle.read(max_entry_bytes + 1)
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError) as exc:
                report.skipped.append(Skip(index, info.filename, f"unreadable entry: {exc}"))
                continue
            if len(data) > max_entry_bytes:
                report.skipped.append(Skip(index, info.filename, f"inflates beyond {max_entry_bytes} bytes"))
                continue
            total += len(data)
            if total > max_total_bytes:
                message = f"ZIP inflates beyond {max_total_bytes} bytes; stopped at entry {index}"
                report.errors.append(FileError("too_large", message))
                return
            yield index, info.filename, data

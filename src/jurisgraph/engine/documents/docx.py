"""DOCX text with python-docx: paragraphs and tables in body order, behind a zip-bomb guard."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from jurisgraph.engine.documents.errors import reject
from jurisgraph.engine.documents.types import ExtractedText, ExtractLimits
from jurisgraph.engine.documents.util import normalise_text, single_page

MAX_RATIO = 200
"""Largest uncompressed/compressed ratio accepted for a member over 1 MB (plain XML is ~10-30)."""
_RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 10_000


def check_zip_bomb(data: bytes, limits: ExtractLimits) -> None:
    """Refuse a DOCX whose members declare more than ``max_docx_uncompressed`` bytes in total,
    too many members, or an absurd compression ratio; ``corrupt`` when it is no readable zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise reject("corrupt", detail=str(error)) from error
    if len(infos) > MAX_MEMBERS:
        raise reject("zip_bomb", detail=f"{len(infos)} members")
    total = 0
    for info in infos:
        total += info.file_size
        if total > limits.max_docx_uncompressed:
            raise reject("zip_bomb", detail=f"over {limits.max_docx_uncompressed} bytes uncompressed")
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise reject(
                "zip_bomb",
                detail=f"{info.filename} compresses {info.file_size // max(1, info.compress_size)}:1",
            )


def extract_docx(data: bytes, limits: ExtractLimits) -> ExtractedText:
    """The text of a DOCX as one page: paragraphs, and table rows as cells joined by `` | ``."""
    check_zip_bomb(data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(document))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise reject("corrupt", detail=str(error)) from error
    except Exception as error:  # lxml syntax errors and other parse failures of a damaged file
        if type(error).__module__.startswith(("lxml", "docx")):
            raise reject("corrupt", detail=str(error)) from error
        raise
    text = normalise_text("\n".join(blocks))
    if not text:
        raise reject("empty", detail="no text in the document")
    return ExtractedText("docx", text, single_page(text), None)


def _blocks(document: DocxDocument) -> Iterator[str]:
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item.text
        elif isinstance(item, Table):
            yield from _table(item)


def _table(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            # merged cells repeat the same underlying element: keep one
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(p.text for p in cell.paragraphs).strip())
        line = " | ".join(c for c in cells if c)
        if line:
            yield line

"""Citable sources from retrieved passages and from the records and mentions of the graph.

Every source keeps ``document.text[start:end] == text``: a short record is cited whole, a
mention with an exact span as a window around it inside its chunk, any other as its chunk.
"""

from __future__ import annotations

from dataclasses import replace

from jurisgraph.ask.repository import SourceRow
from jurisgraph.engine.query import Source, SourceKind
from jurisgraph.search.service import STJ_SEARCH_URL, Passage

WINDOW = 250
LONG_HEAD = 1200


def stj_link(processo: str | None) -> str | None:
    """The STJ jurisprudence search for a process, as search results link it."""
    return STJ_SEARCH_URL + processo.replace(" ", "+") if processo else None


def from_passage(passage: Passage) -> Source:
    """A retrieved chunk."""
    return Source(
        key=passage.chunk_id,
        kind=SourceKind.PASSAGE,
        document_key=passage.document_key,
        title=passage.title,
        text=passage.text,
        start=passage.start,
        end=passage.end,
        chunk_id=passage.chunk_id,
        processo=passage.processo,
        orgao_julgador=passage.orgao_julgador,
        relator=passage.relator,
        date=passage.date,
        stj_link=passage.stj_link,
        source_url=passage.source_url,
        score=passage.score,
        page=passage.page,
        pages=tuple((span[0], span[1], span[2]) for span in passage.pages if len(span) == 3),
    )


def from_row(row: SourceRow) -> Source:
    """The place where a node or an edge is stated, as a source."""

    spans = tuple(
        (int(p["number"]), int(p["start"]), int(p["end"])) for p in row.pages or [] if isinstance(p, dict)
    )

    def make(key: str, kind: SourceKind, text: str, start: int, chunk_id: str | None = None) -> Source:
        source = Source(
            key=key,
            kind=kind,
            document_key=row.document_key,
            title=row.title,
            text=text,
            start=start,
            end=start + len(text),
            chunk_id=chunk_id,
            processo=row.processo,
            orgao_julgador=row.orgao_julgador,
            relator=row.relator,
            date=row.day.isoformat() if row.day else None,
            stj_link=stj_link(row.processo),
            source_url=f"/documentos/{row.document_id}" if row.document_id is not None else row.source_url,
            pages=spans,
        )
        return replace(source, page=source.at(start)) if spans else source

    if row.short:
        return make(row.document_key, SourceKind.RECORD, row.head, 0)
    if row.chunk_id is not None and row.chunk_text is not None and row.chunk_start is not None:
        offset = row.chunk_start
        if row.start is not None and row.end is not None and offset <= row.start <= row.end:
            first = max(offset, row.start - WINDOW)
            last = min(offset + len(row.chunk_text), row.end + WINDOW)
            text = row.chunk_text[first - offset : last - offset]
            return make(f"{row.document_key}@{first}-{last}", SourceKind.PASSAGE, text, first, row.chunk_id)
        return make(row.chunk_id, SourceKind.PASSAGE, row.chunk_text, offset, row.chunk_id)
    head = row.head[:LONG_HEAD]
    return make(f"{row.document_key}@0-{len(head)}", SourceKind.RECORD, head, 0)

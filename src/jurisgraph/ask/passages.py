"""The cited passage of a stored document, by character span, for citations reopened later
(the audit trail keeps only the head of each cited text)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jurisgraph.ask import repository as repo
from jurisgraph.ask.sources import stj_link
from jurisgraph.db import Session
from jurisgraph.errors import InvalidInput, NotFound

#: the most text one passage request returns
MAX_SPAN = 20_000


def passage(
    session: Session, workspace_ids: Sequence[int], document_key: str, start: int, end: int
) -> dict[str, Any]:
    """``text[start:end]`` of the readable document ``document_key`` with its citation fields;
    :class:`NotFound` for an unknown (or unreadable) document, :class:`InvalidInput` for a span
    outside it or longer than :data:`MAX_SPAN`."""
    if start < 0 or end <= start or end - start > MAX_SPAN:
        raise InvalidInput(f"invalid span {start}-{end} (at most {MAX_SPAN} characters)")
    document = repo.document_head(session, workspace_ids, document_key)
    if document is None:
        raise NotFound(f"document {document_key!r} not found")
    size = len(document.text_content)
    if end > size:
        raise InvalidInput(f"span {start}-{end} is beyond the document's {size} characters")
    return {
        "document_key": document.key,
        "title": document.title,
        "text": document.text_content[start:end],
        "start": start,
        "end": end,
        "processo": document.processo,
        "orgao_julgador": document.orgao_julgador,
        "relator": document.relator,
        "date": document.data_decisao.isoformat() if document.data_decisao else None,
        "stj_link": stj_link(document.processo),
        "source_url": document.source_url,
    }

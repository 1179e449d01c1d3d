"""Quoted passages in a question ("… “texto” …") matched as phrases ahead of fusion.

The sparse index proposes candidates for the quoted words; a candidate counts only when the
quote (accent-, case- and space-insensitive; an ellipsis inside it splits it into parts that
must all be there, in order) is in its chunk or in its document's stored text. Verified
passages come first in the retrieved list, in the index's order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from jurisgraph.ask import repository as repo
from jurisgraph.db import Session
from jurisgraph.engine.text import fold
from jurisgraph.errors import ServiceUnavailable
from jurisgraph.runtime import Retrieval
from jurisgraph.search import service as search
from jurisgraph.search.service import Passage, SearchFilters

_QUOTE = re.compile(r"“([^”]{12,})”|\"([^\"]{12,})\"|«([^»]{12,})»")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[\.\.\.\]|\(\.\.\.\))\s*")
_NON_WORD = re.compile(r"[^a-z0-9]+")
CANDIDATES = 40
MIN_PART = 8


def quoted(question: str) -> list[str]:
    """The quoted passages of ``question`` (12 characters or more)."""
    return [next(g for g in m.groups() if g) for m in _QUOTE.finditer(question)]


def _norm(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def contains(text: str, quote: str) -> bool:
    """Whether ``text`` holds ``quote`` (parts split by an ellipsis, in order)."""
    haystack = _norm(text)
    at = 0
    parts = [p for p in (_norm(part) for part in _ELLIPSIS.split(quote)) if len(p) >= MIN_PART]
    if not parts:
        return False
    for part in parts:
        found = haystack.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def phrase_passages(
    session: Session,
    retrieval: Retrieval,
    question: str,
    workspaces: Sequence[int],
    filters: SearchFilters,
) -> tuple[list[Passage], dict[str, Any] | None]:
    """Passages holding every quoted passage of ``question`` and the reasoning-chain details
    (None when the question quotes nothing)."""
    quotes = quoted(question)
    if not quotes or not workspaces:
        return [], None
    try:
        candidates = search.search(
            retrieval, " ".join(quotes), workspaces, mode="sparse", k=CANDIDATES, filters=filters
        )
    except ServiceUnavailable:
        return [], {"quotes": quotes, "candidates": 0, "verified": [], "note": "índice esparso indisponível"}
    texts = repo.document_texts(session, workspaces, [p.document_key for p in candidates])
    verified: list[Passage] = []
    documents: list[str] = []
    for passage in candidates:
        if all(contains(passage.text, q) for q in quotes) or (
            passage.document_key not in documents
            and all(contains(texts.get(passage.document_key, ""), q) for q in quotes)
        ):
            verified.append(passage)
        else:
            continue
        if passage.document_key not in documents:
            documents.append(passage.document_key)
    return verified, {"quotes": quotes, "candidates": len(candidates), "verified": documents}

"""The audit trail of questions (CNJ Resolution 615/2025): one rag_queries row per question,
listed for the API and exported as JSONL or CSV."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jurisgraph.ask import repository as repo
from jurisgraph.db import Session
from jurisgraph.errors import InvalidInput, NotFound
from jurisgraph.kit.csvcells import csv_line
from jurisgraph.models import RagQuery

FORMATS = ("jsonl", "csv")
COLUMNS = (
    "id",
    "created_at",
    "user_id",
    "workspace_ids",
    "query",
    "query_type",
    "answer_kind",
    "response",
    "query_entities",
    "sources_used",
    "communities_used",
    "total_chunks_retrieved",
    "total_entities_retrieved",
    "reasoning_chain",
    "model",
    "prompt_versions",
    "tokens_in",
    "tokens_out",
    "cost_usd",
    "duration_ms",
)
_JSON_COLUMNS = frozenset(
    {
        "workspace_ids",
        "query_entities",
        "sources_used",
        "communities_used",
        "reasoning_chain",
        "prompt_versions",
    }
)


def record(session: Session, values: dict[str, Any]) -> int:
    """Add one question's audit row to ``session`` (the edge commits it); returns its id."""
    return repo.add_query(session, **values).id


def row_dict(row: RagQuery) -> dict[str, Any]:
    """Every audit column as JSON-ready data."""
    data = {name: getattr(row, name) for name in COLUMNS}
    data["created_at"] = row.created_at.isoformat() if row.created_at else None
    return data


def list_rows(
    session: Session, *, limit: int = 50, offset: int = 0, user_id: int | None = None
) -> list[dict[str, Any]]:
    """Audit rows, newest first."""
    return [
        row_dict(r)
        for r in repo.list_queries(
            session, limit=min(max(limit, 1), 500), offset=max(offset, 0), user_id=user_id
        )
    ]


def get_row(session: Session, query_id: int, *, user_id: int | None = None) -> dict[str, Any]:
    """One audit row (of ``user_id`` when given); :class:`NotFound` when there is none."""
    row = repo.get_query(session, query_id)
    if row is None or (user_id is not None and row.user_id != user_id):
        raise NotFound(f"query {query_id} not found")
    return row_dict(row)


def export_lines(session: Session, fmt: str) -> Iterator[str]:
    """The whole trail, oldest first: one JSON object per line, or CSV with a header
    (structured columns as JSON text; text cells that a spreadsheet would run as formulas start
    with ``'``). ``session`` must stay open while the lines are read."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use jsonl or csv")
    if fmt == "csv":
        yield csv_line(COLUMNS)
    for row in repo.iter_queries(session):
        data = row_dict(row)
        if fmt == "jsonl":
            yield json.dumps(data, ensure_ascii=False) + "\n"
        else:
            yield csv_line(
                [
                    json.dumps(data[c], ensure_ascii=False)
                    if c in _JSON_COLUMNS
                    else ("" if data[c] is None else data[c])
                    for c in COLUMNS
                ]
            )

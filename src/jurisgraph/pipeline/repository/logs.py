"""Queries on ``extraction_logs`` (one row per pipeline action)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jurisgraph.models import ExtractionLog


def add_log(session: Session, entry: ExtractionLog) -> None:
    """Insert ``entry`` with the next flush."""
    session.add(entry)

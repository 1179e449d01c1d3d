"""Global questions: community reports ranked by relevance, and their map-reduce batches."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from jurisgraph.engine.query.terms import overlap_scores
from jurisgraph.engine.query.types import Report

T = TypeVar("T")

DEFAULT_REPORTS = 8
DEFAULT_BATCH = 4


def report_text(report: Report) -> str:
    """What a report is matched on: title, summary, key entity names and findings."""
    return " ".join([report.title, report.summary, *report.key_entities, *report.findings])


def rank_reports(question: str, reports: Sequence[Report], limit: int = DEFAULT_REPORTS) -> list[Report]:
    """The ``limit`` reports most relevant to ``question`` (keyword overlap, a little community
    rank on top); when no report shares a word with it, the top-ranked coarsest reports."""
    scores = overlap_scores(question, [report_text(r) for r in reports])
    scored = [
        replace(r, score=round(s * (1.0 + 0.05 * math.log1p(max(r.rank, 0.0))), 4))
        for r, s in zip(reports, scores, strict=True)
        if s > 0
    ]
    if not scored:
        coarse = sorted(reports, key=lambda r: (r.level, -r.rank, r.community_id))
        return list(coarse[:limit])
    scored.sort(key=lambda r: (-r.score, r.level, r.community_id))
    return _without_nested(scored)[:limit]


def _without_nested(reports: list[Report]) -> list[Report]:
    """Drop a report whose title repeats a better one's (a community and its only child)."""
    kept: list[Report] = []
    titles: set[str] = set()
    for report in reports:
        if report.title in titles:
            continue
        titles.add(report.title)
        kept.append(report)
    return kept


def batches(items: Sequence[T], size: int) -> list[list[T]]:
    """``items`` cut into consecutive batches of ``size`` (the last may be shorter)."""
    size = max(1, size)
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def map_calls(reports: int, batch_size: int) -> int:
    """LLM calls of the map step: one per batch."""
    return math.ceil(reports / max(1, batch_size)) if reports else 0

"""Global questions: community reports ranked by relevance, and their map-reduce batches.

A :class:`ReportIndex` tokenises the reports once; a server keeps it while the communities do
not change, so ranking a question costs only the reports that share a term with it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from jurisgraph.engine.query.terms import terms
from jurisgraph.engine.query.types import Report

T = TypeVar("T")

DEFAULT_REPORTS = 8
DEFAULT_BATCH = 4


def report_text(report: Report) -> str:
    """What a report is matched on: title, summary, key entity names and findings."""
    return " ".join([report.title, report.summary, *report.key_entities, *report.findings])


class ReportIndex:
    """Reports with their terms counted once, ranked for any number of questions."""

    def __init__(self, reports: Sequence[Report]) -> None:
        self.reports = list(reports)
        self._bags = [Counter(terms(report_text(r))) for r in self.reports]
        self._lengths = [sum(bag.values()) for bag in self._bags]
        self._postings: dict[str, list[int]] = {}
        for i, bag in enumerate(self._bags):
            for term in bag:
                self._postings.setdefault(term, []).append(i)
        self._summarise()

    def _summarise(self) -> None:
        """The figures drawn from the reports and their lengths: the average length, the coarsest order."""
        self._average = (sum(self._lengths) / len(self._bags) if self._bags else 0.0) or 1.0
        self._coarse = sorted(self.reports, key=lambda r: (r.level, -r.rank, r.community_id))

    @classmethod
    def union(cls, parts: Sequence[ReportIndex]) -> ReportIndex:
        """One index of every part's reports (e.g. one per workspace), ranking as one built from
        all of them would: the terms already counted are reused, the largest part's postings shared."""
        filled = [part for part in parts if len(part)]
        if len(filled) <= 1:
            return filled[0] if filled else cls(())
        largest = max(filled, key=len)
        merged = cls(())
        merged.reports, merged._bags = list(largest.reports), list(largest._bags)
        merged._lengths = list(largest._lengths)
        merged._postings = dict(largest._postings)
        for part in filled:
            if part is largest:
                continue
            offset = len(merged.reports)
            merged.reports += part.reports
            merged._bags += part._bags
            merged._lengths += part._lengths
            for term, positions in part._postings.items():
                merged._postings[term] = merged._postings.get(term, []) + [offset + i for i in positions]
        merged._summarise()
        return merged

    def __len__(self) -> int:
        return len(self.reports)

    def scores(self, question: str) -> dict[int, float]:
        """BM25-like relevance (idf over the reports themselves) of every report that shares a
        term with ``question``, by position; the same figures as :func:`overlap_scores`."""
        wanted = set(terms(question))
        total = len(self._bags)
        if not wanted or not total:
            return {}
        frequency = {term: len(self._postings.get(term, ())) for term in wanted}
        candidates = sorted({i for term in wanted for i in self._postings.get(term, ())})
        found: dict[int, float] = {}
        for i in candidates:
            bag, length = self._bags[i], self._lengths[i]
            score = 0.0
            for term in wanted & bag.keys():
                idf = math.log(1 + (total - frequency[term] + 0.5) / (frequency[term] + 0.5))
                tf = bag[term]
                score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / self._average))
            found[i] = score
        return found

    def rank(self, question: str, limit: int = DEFAULT_REPORTS) -> list[Report]:
        """The ``limit`` reports most relevant to ``question`` (keyword overlap, a little
        community rank on top); when no report shares a word with it, the top-ranked coarsest."""
        scored = [
            replace(r, score=round(s * (1.0 + 0.05 * math.log1p(max(r.rank, 0.0))), 4))
            for i, s in self.scores(question).items()
            if s > 0
            for r in (self.reports[i],)
        ]
        if not scored:
            return list(self._coarse[:limit])
        scored.sort(key=lambda r: (-r.score, r.level, r.community_id))
        return _without_nested(scored)[:limit]


def rank_reports(question: str, reports: Sequence[Report], limit: int = DEFAULT_REPORTS) -> list[Report]:
    """The ``limit`` reports most relevant to ``question`` (see :meth:`ReportIndex.rank`)."""
    return ReportIndex(reports).rank(question, limit)


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

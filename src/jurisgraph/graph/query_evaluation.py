"""Scoring of the graph query mode on a labelled set of structured questions.

A count or a value ("em que ano") scores exact match; a list scores precision, recall and F1
over entity keys (a top-N list as a set of its N keys). The labelled set and its expected
answers come from ``scripts/build_graph_questions.py``, which reads the source files directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jurisgraph.db import Session
from jurisgraph.graph import query_service


def load_questions(path: Path, split: str | None = None) -> list[dict[str, Any]]:
    """The labelled questions (of one split: ``dev`` or ``heldout``; all when None)."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [i for i in items if split is None or i["split"] == split]


@dataclass
class Scored:
    """One question's outcome."""

    id: str
    pattern: str
    kind: str
    mapped: bool
    exact: float = 0.0
    precision: float = 0.0
    recall: float = 0.0
    got: Any = None
    ms: float = 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score(item: dict[str, Any], got: Any, mapped: bool, ms: float = 0.0) -> Scored:
    """Compare an answer's value with the expected one."""
    result = Scored(item["id"], item["pattern"], item["kind"], mapped, got=got, ms=ms)
    expected = item["expected"]
    if item["kind"] in ("count", "value"):
        result.exact = 1.0 if mapped and got == expected else 0.0
        return result
    want = set(expected)
    have = set(got or []) if mapped else set()
    if not want and not have and mapped:
        result.precision = result.recall = 1.0
        return result
    hits = len(want & have)
    result.precision = hits / len(have) if have else 0.0
    result.recall = hits / len(want) if want else 0.0
    return result


def answer(session: Session, workspace_ids: Sequence[int], question: str) -> tuple[bool, Any, float]:
    """(mapped, value, ms) of one question through the parser and the graph query."""
    parsed = query_service.parse(session, workspace_ids, question)
    if parsed.query is None:
        return False, None, 0.0
    result = query_service.run(session, workspace_ids, parsed.query)
    return True, result.value, result.ms


@dataclass
class Summary:
    """Scores per pattern: exact match of counts and values, mean P/R/F1 of lists."""

    rows: dict[str, dict[str, float]] = field(default_factory=dict)
    exact: float = 0.0
    f1: float = 0.0
    precision: float = 0.0
    recall: float = 0.0


def summarize(scored: Iterable[Scored]) -> Summary:
    """Per-pattern and overall means."""
    by_pattern: dict[str, list[Scored]] = {}
    items = list(scored)
    for s in items:
        by_pattern.setdefault(s.pattern, []).append(s)
    summary = Summary()
    for pattern, group in sorted(by_pattern.items()):
        n = len(group)
        if group[0].kind in ("count", "value"):
            summary.rows[pattern] = {"n": n, "em": sum(s.exact for s in group) / n}
        else:
            summary.rows[pattern] = {
                "n": n,
                "p": sum(s.precision for s in group) / n,
                "r": sum(s.recall for s in group) / n,
                "f1": sum(s.f1 for s in group) / n,
            }
    counts = [s for s in items if s.kind in ("count", "value")]
    lists = [s for s in items if s.kind not in ("count", "value")]
    summary.exact = sum(s.exact for s in counts) / len(counts) if counts else 0.0
    summary.f1 = sum(s.f1 for s in lists) / len(lists) if lists else 0.0
    summary.precision = sum(s.precision for s in lists) / len(lists) if lists else 0.0
    summary.recall = sum(s.recall for s in lists) / len(lists) if lists else 0.0
    return summary

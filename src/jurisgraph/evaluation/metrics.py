"""Pure scoring functions of the evaluation: ranking metrics, fact matching, citation precision.

The ranking metrics (recall@k, MRR, nDCG, percentiles) are the generic ones of
:mod:`jurisgraph.kit.ranking`, re-exported here. A fact is a string, or a list of strings of
which any one may appear (``any-of``); facts are matched as normalised substrings of the
answer, on word boundaries (case, accents, punctuation, white space, the thousands dots of
numbers and the ``nº``/``n.`` marks do not matter).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from jurisgraph.engine.text import fold
from jurisgraph.kit.ranking import dedupe, mean, ndcg_at_k, percentile, recall_at_k, reciprocal_rank

__all__ = [
    "Fact",
    "citation_precision",
    "correctness",
    "dedupe",
    "fact_found",
    "mean",
    "ndcg_at_k",
    "normalise",
    "percentile",
    "recall_at_k",
    "reciprocal_rank",
]

Fact = str | Sequence[str]

_THOUSANDS = re.compile(r"(?<=\d)\.(?=\d{3}\b)")
_NUMBER_MARK = re.compile(r"\b(?:n[ºo°]|n\.|num\.|numero)\s*", re.IGNORECASE)
_PUNCT = re.compile(r"[^\w]+|_")


def normalise(text: str) -> str:
    """Folded (lower case, no accents), ``1.465.535`` → ``1465535``, ``nº``/``n.`` marks dropped,
    punctuation made white space, white space collapsed: what fact matching compares."""
    text = _NUMBER_MARK.sub("", _THOUSANDS.sub("", text))
    return " ".join(_PUNCT.sub(" ", fold(text)).split())


def fact_found(answer: str, fact: Fact) -> bool:
    """Whether ``fact`` (or, for a list, any of its alternatives) is a normalised substring of
    ``answer``, on word boundaries; an empty fact is never found."""
    options = [fact] if isinstance(fact, str) else list(fact)
    haystack = f" {normalise(answer)} "
    for option in options:
        needle = normalise(option)
        if needle and f" {needle} " in haystack:
            return True
    return False


def correctness(answer: str, facts: Sequence[Fact]) -> float | None:
    """Share of the expected facts the answer states; None when nothing is expected."""
    if not facts:
        return None
    return sum(1 for fact in facts if fact_found(answer, fact)) / len(facts)


def citation_precision(cited: Sequence[str], relevant: Collection[str]) -> float | None:
    """Share of the cited sources (document keys, one per citation) that are relevant; None when
    the answer cites nothing."""
    if not cited:
        return None
    wanted = set(relevant)
    return sum(1 for key in cited if key in wanted) / len(cited)

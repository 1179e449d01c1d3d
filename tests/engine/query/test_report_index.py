"""The report index ranks exactly as scoring every report's text for each question."""

from __future__ import annotations

import math
from dataclasses import replace

from jurisgraph.engine.query import Report, ReportIndex, rank_reports
from jurisgraph.engine.query.global_ import report_text
from jurisgraph.engine.query.terms import overlap_scores

REPORTS = [
    Report("c1", 0, "Execução fiscal", "Prescrição intercorrente na execução fiscal.", ("Fazenda",), (), 3.0),
    Report("c2", 1, "Execução fiscal", "Redirecionamento da execução ao sócio.", (), ("Súmula 435",), 1.0),
    Report("c3", 0, "Plano de saúde", "Reajuste por faixa etária em planos individuais.", (), (), 2.0),
    Report("c4", 1, "Honorários", "Honorários por equidade: Tema 1.076.", ("CPC/2015",), (), 0.5),
    Report("c5", 2, "Tributário", "ICMS na base de cálculo do PIS e da COFINS.", (), ("Tema 69",), 4.0),
]
QUESTIONS = [
    "prescrição intercorrente execução fiscal",
    "Qual a tese sobre o reajuste de plano de saúde por faixa etária?",
    "honorários equidade Tema 1.076",
    "ICMS PIS COFINS execução",
    "palavras que não aparecem em relatório algum",
    "",
]


def reference(question: str, reports: list[Report], limit: int) -> list[Report]:
    """Every report's text scored anew (the ranking before the index)."""
    scores = overlap_scores(question, [report_text(r) for r in reports])
    scored = [
        replace(r, score=round(s * (1.0 + 0.05 * math.log1p(max(r.rank, 0.0))), 4))
        for r, s in zip(reports, scores, strict=True)
        if s > 0
    ]
    if not scored:
        return sorted(reports, key=lambda r: (r.level, -r.rank, r.community_id))[:limit]
    scored.sort(key=lambda r: (-r.score, r.level, r.community_id))
    kept: list[Report] = []
    for r in scored:
        if r.title not in {k.title for k in kept}:
            kept.append(r)
    return kept[:limit]


def test_index_ranks_as_scoring_every_report() -> None:
    index = ReportIndex(REPORTS)
    assert len(index) == len(REPORTS)
    for question in QUESTIONS:
        for limit in (1, 3, 8):
            assert index.rank(question, limit) == reference(question, REPORTS, limit)
            assert rank_reports(question, REPORTS, limit) == reference(question, REPORTS, limit)


def test_index_scores_only_reports_sharing_a_term() -> None:
    index = ReportIndex(REPORTS)
    found = index.scores("reajuste faixa etária")
    assert set(found) == {2}
    assert found[2] > 0


def test_empty_index() -> None:
    assert ReportIndex([]).rank("execução fiscal") == []


def test_union_of_parts_ranks_as_one_index_of_every_report() -> None:
    public, private, empty = ReportIndex(REPORTS[:3]), ReportIndex(REPORTS[3:]), ReportIndex([])
    for parts in ([public, private], [private, empty, public], [empty, public, private]):
        merged = ReportIndex.union(parts)
        assert len(merged) == len(REPORTS)
        for question in QUESTIONS:
            for limit in (1, 3, 8):
                assert merged.rank(question, limit) == reference(question, REPORTS, limit), (question, limit)
    # the parts are not changed by a union
    assert public.rank("honorários equidade Tema 1.076", 8) == reference(
        "honorários equidade Tema 1.076", REPORTS[:3], 8
    )


def test_union_of_one_filled_part_is_that_part() -> None:
    public = ReportIndex(REPORTS)
    assert ReportIndex.union([ReportIndex([]), public]) is public
    assert len(ReportIndex.union([])) == 0

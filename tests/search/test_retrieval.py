"""Hybrid retrieval on real STJ temas: identifiers first, filters, and hybrid beating either side."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from jurisgraph.errors import InvalidInput
from jurisgraph.models import Workspace
from jurisgraph.runtime import Container
from jurisgraph.search.evaluation import evaluate
from jurisgraph.search.service import SearchFilters, identifier_keys, search

# The corpus is embedded with the real bundled model (minutes on two cores).
pytestmark = pytest.mark.slow


def _workspaces(container: Container) -> list[int]:
    with container.sessions() as session:
        return list(session.scalars(select(Workspace.id)))


def test_identifier_queries_return_the_record_first(embedded_corpus: Container) -> None:
    ws = _workspaces(embedded_corpus)
    for query, expected in (
        ("Tema 1.076/STJ", "tema:1076"),
        ("Tema Repetitivo 952", "tema:952"),
        ("TEMA(s) 1132", "tema:1132"),
        ("tese do Tema 722 do STJ", "tema:722"),
    ):
        first = search(embedded_corpus.retrieval(), query, ws, mode="hybrid", k=5)[0]
        assert first.document_key == expected, (query, first.document_key)
        assert expected.split(":")[1] in first.title.replace(".", "")


def test_dense_alone_misses_identifiers_that_hybrid_finds(embedded_corpus: Container) -> None:
    ws = _workspaces(embedded_corpus)
    dense_first = [
        search(embedded_corpus.retrieval(), f"Tema Repetitivo {n}", ws, mode="dense", k=1)[0].document_key
        for n in (952, 722, 1132, 920, 921)
    ]
    assert sum(key == f"tema:{n}" for key, n in zip(dense_first, (952, 722, 1132, 920, 921), strict=True)) < 3


def test_passages_carry_citation_metadata(embedded_corpus: Container) -> None:
    passage = search(
        embedded_corpus.retrieval(),
        "reajuste de mensalidade de plano de saúde por faixa etária",
        _workspaces(embedded_corpus),
        k=3,
    )[0]
    assert passage.document_key == "tema:952"
    assert passage.orgao_julgador and passage.processo and passage.stj_link
    assert passage.end > passage.start >= 0
    assert passage.text


def test_filters_restrict_results(embedded_corpus: Container) -> None:
    ws = _workspaces(embedded_corpus)
    hits = search(
        embedded_corpus.retrieval(),
        "prescrição",
        ws,
        k=20,
        filters=SearchFilters(orgao_julgador="PRIMEIRA SEÇÃO"),
    )
    assert hits and all(h.orgao_julgador == "PRIMEIRA SEÇÃO" for h in hits)
    assert search(embedded_corpus.retrieval(), "prescrição", [999_999], k=5) == []


def test_bad_queries_are_refused(embedded_corpus: Container) -> None:
    ws = _workspaces(embedded_corpus)
    for query, mode in (("", "hybrid"), ("x" * 2001, "hybrid"), ("ok", "nonsense")):
        with pytest.raises(InvalidInput):
            search(embedded_corpus.retrieval(), query, ws, mode=mode)  # type: ignore[arg-type]


def test_identifier_detection() -> None:
    assert identifier_keys("Tema 1.076") == (["tema:1076"], True)
    assert identifier_keys("art. 85 do CPC/2015") == (["lei:13105_2015:art_85"], True)
    keys, about = identifier_keys(
        "Os prazos de apresentação e de prescrição (arts. 33 e 59 da Lei n. 7.357/85) "
        "nos cheques são contados de forma independente"
    )
    assert keys and not about
    assert identifier_keys("honorários advocatícios por equidade") == ([], False)


def test_hybrid_beats_dense_and_sparse_on_the_labelled_set(
    embedded_corpus: Container, labelled_queries: list[dict[str, str]]
) -> None:
    scores = {
        s.mode: s
        for s in evaluate(embedded_corpus.retrieval(), _workspaces(embedded_corpus), labelled_queries, k=10)
    }
    hybrid, dense, sparse = scores["hybrid"], scores["dense"], scores["sparse"]
    print({m: (round(s.recall, 3), round(s.mrr, 3)) for m, s in scores.items()})
    assert hybrid.recall >= dense.recall and hybrid.recall >= sparse.recall
    assert hybrid.mrr > dense.mrr
    assert hybrid.mrr >= sparse.mrr - 0.01

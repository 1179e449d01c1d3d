"""Answer metrics: fact matching, correctness, citation precision."""

from __future__ import annotations

from jurisgraph.evaluation.metrics import citation_precision, correctness, fact_found, normalise


def test_normalise_folds_case_accents_thousands_dots_and_number_marks() -> None:
    assert normalise("Recurso Especial nº 1.465.535 - SP") == "recurso especial 1465535 sp"
    assert normalise("REsp 1.465.535/SP") == "resp 1465535 sp"
    assert normalise("Súmula   7/STJ") == "sumula 7 stj"
    assert normalise("1.5 e 10.5") == "1 5 e 10 5"  # a decimal is not a thousands separator


def test_facts_match_whole_words_only() -> None:
    answer = "O Tema 1.076/STJ fixou que [1] os honorários seguem o art. 85 do CPC."
    assert fact_found(answer, "Tema 1076")
    assert fact_found(answer, "tema 1.076")
    assert fact_found(answer, "HONORARIOS")
    assert not fact_found(answer, "Tema 107")  # a prefix of a number is not the number
    assert not fact_found(answer, "Tema 10760")
    assert not fact_found(answer, "")
    assert fact_found(answer, ["Tema 999", "art. 85"])  # any of the alternatives
    assert not fact_found(answer, ["Tema 999", "art. 86"])


def test_correctness_is_the_share_of_facts_stated() -> None:
    answer = "Relator: GURGEL DE FARIA. Órgão: PRIMEIRA TURMA."
    assert correctness(answer, ["Gurgel de Faria", "Primeira Turma"]) == 1.0
    assert correctness(answer, ["Gurgel de Faria", "Segunda Turma"]) == 0.5
    assert correctness(answer, []) is None


def test_citation_precision_counts_relevant_cited_sources() -> None:
    assert citation_precision(["tema:1", "tema:2", "tema:1", "espelho:9"], {"tema:1"}) == 0.5
    assert citation_precision([], {"tema:1"}) is None
    assert citation_precision(["tema:2"], set()) == 0.0

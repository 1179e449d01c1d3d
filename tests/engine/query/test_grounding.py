"""Grounding check: unknown citations, sentences without a citation, what is not a claim."""

from __future__ import annotations

from jurisgraph.engine.query import check, cited_numbers


def test_cited_numbers_in_every_form() -> None:
    assert cited_numbers("a [2] b [1, 3] c [4-6] d [2]") == [2, 1, 3, 4, 5, 6]


def test_unknown_citations_are_reported() -> None:
    result = check("O relator é o Min. Og Fernandes [1]. A tese foi fixada pela Corte Especial [7].", 3)
    assert result.unknown == (7,) and result.cited == (1, 7) and not result.ok


def test_sentences_without_citation_are_flagged() -> None:
    answer = "O recurso foi julgado pela Primeira Turma [1]. Os honorários seguem o art. 85 do CPC."
    result = check(answer, 1)
    assert result.uncited_sentences == ("Os honorários seguem o art. 85 do CPC.",)
    assert result.sentences == 2


def test_headings_quotes_and_trailing_markers() -> None:
    answer = (
        "Temas que referenciam o art. 85 do CPC/2015:\n"
        "- Tema 1.076/STJ: “i) A fixação não é permitida. É obrigatória a observância do § 2º.” [1].\n"
        "A tese foi reafirmada pela Primeira Turma no caso concreto. [2]\n"
        "Ok."
    )
    result = check(answer, 2)
    assert result.ok and result.cited == (1, 2) and result.sentences == 2

"""Sentence splitting that respects legal abbreviations, and supporting-sentence choice."""

from __future__ import annotations

from jurisgraph.engine.query import best_sentences, split_sentences

EMENTA = (
    "AGRAVO INTERNO NO RECURSO ESPECIAL. HONORÁRIOS ADVOCATÍCIOS.\n"
    "1. Conforme o art. 85, § 2º, do CPC/2015, os honorários serão fixados entre dez e vinte por cento. "
    "2. O Min. Og Fernandes, relator do REsp 1.850.512/SP, afastou a equidade quando o proveito econômico "
    "é elevado. "
    "3. Agravo interno não provido."
)


def test_sentences_do_not_break_inside_legal_references() -> None:
    spans = split_sentences(EMENTA)
    texts = [EMENTA[a:b] for a, b in spans]
    assert any(
        t.startswith("1. Conforme o art. 85, § 2º, do CPC/2015") and t.endswith("por cento.") for t in texts
    )
    assert any("O Min. Og Fernandes, relator do REsp 1.850.512/SP" in t for t in texts)


def test_best_sentences_need_the_question_terms_and_skip_headings() -> None:
    assert best_sentences("honorários advocatícios", [("e1", EMENTA)]) == []  # only in the heading
    found = best_sentences("equidade quando o proveito econômico é elevado", [("e1", EMENTA)], limit=3)
    assert [f.text[:5] for f in found] == ["2. O "]
    item = found[0]
    assert EMENTA[item.start : item.end].startswith("2. O Min. Og Fernandes")
    assert best_sentences("como são fixados os honorários?", [("e1", EMENTA)], limit=3)[0].text.startswith(
        "1. Conforme"
    )

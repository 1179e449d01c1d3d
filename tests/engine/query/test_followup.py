"""Follow-up questions carry the subjects (processos, temas, súmulas) of earlier turns."""

from __future__ import annotations

from jurisgraph.engine.query.followup import REFERENCES_MARK, Turn, carried, resolve, subjects

ANSWER = (
    "Tema 621/STJ (leading case REsp 1.251.331/RS, Rel. Min. Maria Isabel Gallotti): tese [1]. "
    "Ver também a Súmula 7/STJ [2]."
    f"{REFERENCES_MARK}\n[1] Tema 621/STJ — REsp 1251331\n[2] AgRg no AREsp 999.999/SP"
)


def test_a_follow_up_carries_the_subjects_of_the_last_question_that_names_any() -> None:
    history = [Turn("user", "Qual a tese do Tema 621?"), Turn("assistant", ANSWER)]
    assert resolve("e qual foi o relator?", history) == "e qual foi o relator (Tema 621)?"
    longer = [*history, Turn("user", "e qual foi o relator?"), Turn("assistant", "Min. Gallotti [1].")]
    assert resolve("e a data do julgamento", longer) == "e a data do julgamento (Tema 621)"
    later = [*history, Turn("user", "e o REsp 1.255.573/RS?"), Turn("assistant", "…")]
    assert carried("quem relatou?", later) == ["REsp 1.255.573/RS"]


def test_without_a_subject_in_any_question_the_answer_gives_its_first_ones() -> None:
    history = [Turn("user", "o que o STJ decidiu sobre IOF financiado?"), Turn("assistant", ANSWER)]
    # the references list is not what the answer says: its processo is not carried
    assert carried("e qual foi o relator?", history) == ["Tema 621/STJ", "REsp 1.251.331/RS"]


def test_a_question_with_its_own_subject_or_no_history_is_unchanged() -> None:
    history = [Turn("user", "Qual a tese do Tema 621?"), Turn("assistant", ANSWER)]
    assert resolve("e a Súmula 83/STJ?", history) == "e a Súmula 83/STJ?"
    assert resolve("  e qual foi o relator?  ", []) == "e qual foi o relator?"
    assert resolve("e qual foi o relator?", [Turn("system", "Tema 1"), Turn("user", "bom dia")]) == (
        "e qual foi o relator?"
    )


def test_subjects_are_each_taken_once_in_order_and_implied_citations_are_skipped() -> None:
    text = "AgRg no REsp 1.234.567/SP e o Tema 1.076, de novo o Tema 1076 e a Súmula 7/STJ"
    assert subjects(text, 10) == ["AgRg no REsp 1.234.567/SP", "Tema 1.076", "Súmula 7/STJ"]
    assert subjects(text, 1) == ["AgRg no REsp 1.234.567/SP"]
    assert subjects("art. 85 do CPC e o Min. Og Fernandes", 10) == []

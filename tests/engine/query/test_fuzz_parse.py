"""Property tests of the question parser: any text gives a parse or a reason, never a crash; the
list and count forms it maps keep mapping under case, accents and spacing changes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jurisgraph.engine.query.graphq.parse import parse_question
from jurisgraph.engine.text import strip_accents

WORDS = [
    "quais", "quantos", "quantas", "liste", "temas", "repetitivos", "súmulas", "acórdãos", "da",
    "Primeira", "Segunda", "Seção", "Turma", "relator", "Min.", "Moura", "Ribeiro", "em", "2021",
    "desde", "entre", "e", "citam", "a", "Súmula", "211", "REsp", "1.850.512/SP", "Tema", "1.076",
    "mais", "citados", "dispositivos", "afetou", "julgados", "em que ano", "?", "5", "top",
]  # fmt: skip
questions = st.one_of(st.text(max_size=120), st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join))


@given(questions)
def test_the_parser_maps_or_explains_any_text(question: str) -> None:
    parsed = parse_question(question)
    if parsed.query is None:
        assert parsed.reason.strip()
    else:
        assert parsed.query.describe()


MAPPED = [
    "quantos temas repetitivos a Primeira Seção afetou em 2021",
    "quais temas repetitivos da Segunda Seção foram julgados em 2019",
    "quantos acórdãos da Primeira Turma citam a Súmula 211 desde 2020",
    "Em que ano foi afetado o Tema Repetitivo 731?",
]


@given(
    st.sampled_from(MAPPED),
    st.sampled_from([str.upper, str.lower, strip_accents, lambda s: s]),
    st.integers(1, 3),
)
def test_formatting_does_not_change_the_query(question: str, style: object, spaces: int) -> None:
    base = parse_question(question)
    assert base.query is not None, question
    variant = (" " * spaces).join(style(question).split())  # type: ignore[operator]
    again = parse_question(variant)
    assert again.query is not None and again.query.describe() == base.query.describe(), variant

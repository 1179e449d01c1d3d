"""Entity linking in questions: legal identifiers by rule, names against reference names."""

from __future__ import annotations

from jurisgraph.engine.legal import article_key, parse_processo, tema_key
from jurisgraph.engine.query import Mode, NameIndex, choose_mode, link
from jurisgraph.engine.query.terms import is_aggregate


def keys(question: str, names: NameIndex) -> list[tuple[str, str]]:
    return [(e.key, e.how) for e in link(question, names)]


def test_identifiers_are_linked_by_rule(names: NameIndex) -> None:
    tema = tema_key(1076, "STJ")
    processo = parse_processo("REsp 1.850.512/SP")
    assert processo is not None
    assert keys("Qual a tese do Tema 1.076?", names) == [(tema, "rule")]
    assert keys("Quem é o relator do REsp 1.850.512/SP?", names) == [(processo.key, "rule")]


def test_a_law_named_through_its_article_is_the_article(names: NameIndex) -> None:
    linked = keys("Quais temas tratam do art. 85 do CPC/2015?", names)
    assert [k for k, _ in linked] == [article_key("lei:13105_2015", 85)]


def test_minister_and_orgao_by_name(names: NameIndex) -> None:
    linked = link("Processos relatados por Herman Benjamin na Corte Especial", names)
    assert [(e.key, e.strong) for e in linked] == [("ministro:herman_benjamin", True), ("orgao:ce", True)]
    assert linked[0].how == "name" and "Herman Benjamin" in linked[0].name


def test_surname_alone_is_a_weak_link(names: NameIndex) -> None:
    (entity,) = link("Decisões do ministro Salomão", names)
    assert entity.key == "ministro:luis_felipe_salomao" and not entity.strong


def test_subject_names_match_whole_or_in_part(names: NameIndex) -> None:
    whole = link("honorários advocatícios na execução", names)
    assert whole and whole[0].name == "Honorários Advocatícios" and whole[0].strong
    partial = link("temas sobre honorários", names)
    assert partial and partial[0].name.startswith("Honorários") and not partial[0].strong


def test_no_entity_in_a_plain_question(names: NameIndex) -> None:
    assert link("qual é o entendimento atual?", names) == []
    assert not any(e.strong for e in link("é possível cobrar juros sobre juros?", names))
    assert [e.name for e in link("Decisões do ministro Salomão sobre cláusula penal", names)][
        -1
    ] == "Cláusula Penal"


def test_mode_rules(names: NameIndex) -> None:
    assert (
        choose_mode("Qual a tese do Tema 1.076?", link("Qual a tese do Tema 1.076?", names))[0] == Mode.LOCAL
    )
    broad = "Quais as principais tendências sobre honorários?"
    assert is_aggregate(broad) and choose_mode(broad, link(broad, names))[0] == Mode.GLOBAL
    assert choose_mode("é possível cobrar juros sobre juros?", [])[0] == Mode.NAIVE
    assert choose_mode("panorama dos temas sobre tráfico de drogas", [])[0] == Mode.GLOBAL


def test_union_of_parts_links_as_one_index_of_every_name(
    names: NameIndex, name_rows: list[tuple[str, str, str, int]]
) -> None:
    rows = name_rows
    parts = [NameIndex(rows[0::3]), NameIndex(rows[1::3]), NameIndex([]), NameIndex(rows[2::3])]
    merged = NameIndex.union(parts)
    assert merged.size == names.size
    questions = [
        "Quais os processos julgados pela Corte Especial sob relatoria de Herman Benjamin?",
        "honorários advocatícios na execução fiscal",
        "O que decidiu a Ministra Nancy Andrighi sobre plano de saúde?",
        "Primeira Turma, Gurgel de Faria, ICMS",
    ]
    for question in questions:
        assert sorted(keys(question, merged)) == sorted(keys(question, names)), question
        tokens = {w for w in question.lower().split()}
        assert {e.key for e in merged.candidates(tokens)} == {e.key for e in names.candidates(tokens)}
    assert NameIndex.union([NameIndex([]), names]) is names

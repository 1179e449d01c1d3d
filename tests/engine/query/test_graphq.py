"""The Portuguese parser of list and count questions and the typed graph query it produces."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jurisgraph.engine.query.graphq import (
    Aggregate,
    DateField,
    Filters,
    GraphQuery,
    MinisterNames,
    Relation,
    parse_question,
)

MINISTERS = MinisterNames(
    [
        ("ministro:sergio_kukina", "Min. Sérgio Kukina"),
        ("ministro:moura_ribeiro", "Min. Moura Ribeiro"),
        ("ministro:ribeiro_dantas", "Min. Ribeiro Dantas"),
        ("ministro:nancy_andrighi", "Min. Nancy Andrighi"),
    ]
)


def parsed(question: str) -> GraphQuery:
    result = parse_question(question, MINISTERS)
    assert result.query is not None, result.reason
    return result.query


def test_the_issue_shapes_map_to_typed_queries() -> None:
    q = parsed("quais temas repetitivos da Segunda Seção tiveram como relator o Min. Moura Ribeiro")
    assert (q.relation, q.anchors, q.filters.orgao, q.filters.tipo, q.aggregate) == (
        Relation.RELATOR,
        ("ministro:moura_ribeiro",),
        "S2",
        "Tema",
        Aggregate.LIST,
    )
    q = parsed(
        "quantos temas da Primeira Seção tiveram recurso representativo relatado pelo Min. Sérgio Kukina"
    )
    assert (q.relation, q.anchors, q.filters.orgao, q.aggregate) == (
        Relation.RELATOR,
        ("ministro:sergio_kukina",),
        "S1",
        Aggregate.COUNT,
    )
    q = parsed("quais temas a Terceira Seção julgou em 2015")
    assert (q.relation, q.filters.orgao, q.filters.year_from, q.filters.year_to) == (
        Relation.TEMAS,
        "S3",
        2015,
        2015,
    )
    assert q.filters.date_field == DateField.JULGAMENTO
    q = parsed("quantos acórdãos da Primeira Turma citam a Súmula 7 desde 2020")
    assert (q.relation, q.anchors, q.filters.orgao, q.filters.year_from, q.filters.year_to, q.aggregate) == (
        Relation.CITA,
        ("sumula:stj_7",),
        "T1",
        2020,
        None,
        Aggregate.COUNT,
    )
    q = parsed("quais processos citam o REsp 1.465.535/SP")
    assert (q.relation, q.anchors) == (Relation.CITA, ("processo:resp_1465535",))
    q = parsed("que súmulas se originaram de temas afetados em 2018")
    assert (q.relation, q.filters.date_field, q.filters.year_from) == (
        Relation.ORIGINA,
        DateField.AFETACAO,
        2018,
    )
    q = parsed("quais dispositivos do CPC/2015 são mais citados pela Terceira Turma")
    assert (q.relation, q.anchors, q.filters.orgao, q.aggregate) == (
        Relation.DISPOSITIVOS,
        ("lei:13105_2015",),
        "T3",
        Aggregate.TOP,
    )


def test_phrasing_variants_and_aggregates() -> None:
    assert parsed("qual o número de temas repetitivos julgados pela Primeira Seção em 2010").aggregate == (
        Aggregate.COUNT
    )
    assert parsed("liste os temas julgados pela Corte Especial entre 2015 e 2018").filters.model_dump(
        include={"year_from", "year_to", "orgao"}
    ) == {"year_from": 2015, "year_to": 2018, "orgao": "CE"}
    assert (
        parsed("Quais temas repetitivos foram julgados pela SEGUNDA SEÇÃO no ano de 2019?").filters.year_from
        == 2019
    )
    year = parsed("em que ano foi julgado o Tema 1.076")
    assert (year.relation, year.anchors, year.aggregate) == (Relation.TEMAS, ("tema:1076",), Aggregate.YEAR)
    first = parsed("qual o primeiro tema afetado pela Corte Especial")
    assert (first.aggregate, first.filters.date_field) == (Aggregate.EARLIEST, DateField.AFETACAO)
    assert parsed("qual o tema mais recente julgado pela Segunda Seção").aggregate == Aggregate.LATEST
    assert parsed("quais os 3 artigos do CTN são mais citados pela Primeira Turma?").limit == 3
    assert parsed("quantas controvérsias da Segunda Seção estão canceladas").filters.model_dump(
        include={"tipo", "situacao"}
    ) == {"tipo": "Controvérsia", "situacao": "Cancelad"}


def test_primeira_secao_is_not_the_first_tema() -> None:
    query = parsed("liste os temas da Primeira Seção relatados pelo ministro SÉRGIO KUKINA")
    assert query.aggregate == Aggregate.LIST and query.filters.orgao == "S1"


@pytest.mark.parametrize(
    "question",
    [
        "quantos temas repetitivos tiveram como relator o Min. Kukina",
        "quantos temas repetitivos tiveram como relator SÉRGIO KUKINA",
        "quantos temas repetitivos tiveram como relator Sergio Kukina",
        "quantos temas repetitivos o relator kukina teve",
        "quantos temas repetitivos tiveram como relator o Min. Kukna",
    ],
)
def test_minister_names_are_folded_and_fuzzy(question: str) -> None:
    assert parsed(question).anchors == ("ministro:sergio_kukina",)


def test_an_ambiguous_surname_names_nobody() -> None:
    assert [m.key for m in MINISTERS.find("temas do relator Ribeiro")] == []
    assert [m.key for m in MINISTERS.find("temas do relator Moura Ribeiro")] == ["ministro:moura_ribeiro"]


@pytest.mark.parametrize(
    "question",
    [
        "o que decidiu o Tema 1.076 sobre honorários",
        "Qual a tese do Tema 1.076?",
        "quais os requisitos da usucapião",
        "Quais temas tratam de honorários?",
        "qual o entendimento do STJ sobre dano moral",
    ],
)
def test_questions_outside_the_patterns_are_not_mapped(question: str) -> None:
    result = parse_question(question, MINISTERS)
    assert result.query is None and result.reason


def test_typed_query_is_validated() -> None:
    with pytest.raises(ValidationError):
        Filters(orgao="XX")
    with pytest.raises(ValidationError):
        Filters(year_from=2020, year_to=2010)
    with pytest.raises(ValidationError):
        GraphQuery(relation=Relation.RELATOR, anchors=())
    with pytest.raises(ValidationError):
        GraphQuery.model_validate({"relation": "temas", "sql": "select 1"})
    query = GraphQuery.model_validate_json(
        '{"relation": "cita", "anchors": ["sumula:stj_7"], "filters": {"orgao": "T1"}, "aggregate": "count"}'
    )
    assert query.describe()["filters"]["orgao"] == "T1"

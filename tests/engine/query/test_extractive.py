"""Extractive wording: facts stated only with a source, lawyer-style phrasing, the empty answer."""

from __future__ import annotations

from jurisgraph.engine.legal import parse_ministro, parse_orgao, parse_processo
from jurisgraph.engine.query import (
    NOTHING,
    Citer,
    Fact,
    GraphView,
    LinkedEntity,
    Node,
    Source,
    SourceKind,
    compose,
)
from jurisgraph.engine.query.wording import relator_phrase


def record(key: str) -> Source:
    return Source(key=key, kind=SourceKind.RECORD, document_key=key, title=key, text="…", start=0, end=1)


def view_of_a_process() -> tuple[GraphView, str]:
    processo = parse_processo("REsp 1.850.512/SP")
    relator = parse_ministro("OG FERNANDES")
    orgao = parse_orgao("CORTE ESPECIAL")
    assert processo and relator and orgao
    view = GraphView()
    for key, name, kind in (
        (processo.key, processo.name, "PROCESSO"),
        (relator.key, relator.name, "MINISTRO"),
        (orgao.key, orgao.exibicao, "ORGAO_JULGADOR"),
    ):
        view.nodes[key] = Node(key, name, kind)
    view.facts = [
        Fact("e1", relator.key, processo.key, "RELATOR_DE", source_key="tema:1076"),
        Fact("e2", processo.key, orgao.key, "JULGADO_POR", source_key=None),
    ]
    return view, processo.key


def test_process_facts_are_stated_only_with_their_source() -> None:
    view, key = view_of_a_process()
    citer = Citer([record("tema:1076")])
    linked = [LinkedEntity(key, view.name(key), "PROCESSO", 0, 10, "rule", 1.0)]
    answer = compose("Quem é o relator do REsp 1.850.512/SP?", linked, view, citer)
    assert answer == "O relator do REsp 1.850.512/SP é o Min. Og Fernandes [1]."
    assert "Corte Especial" not in answer  # the órgão fact has no source here


def test_relator_phrase_follows_the_ministers_gender() -> None:
    nancy = parse_ministro("NANCY ANDRIGHI")
    assert nancy is not None
    assert (
        relator_phrase("REsp 1.465.535/SP", nancy.name) == f"A relatora do REsp 1.465.535/SP é a {nancy.name}"
    )
    convocado = parse_ministro("MANOEL ERHARDT (DESEMBARGADOR CONVOCADO DO TRF5)")
    assert convocado is not None
    assert relator_phrase("AREsp 1/SP", convocado.name) == f"O relator do AREsp 1/SP é {convocado.name}"


def test_nothing_to_state() -> None:
    assert compose("pergunta", [], GraphView(), Citer([])) == NOTHING

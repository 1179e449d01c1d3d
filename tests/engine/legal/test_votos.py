"""Votes and result of the ``decisao`` field."""

from __future__ import annotations

from jurisgraph.engine.legal import parse_votos, resumo_decisao
from jurisgraph.engine.legal.votos import classify_resultado
from jurisgraph.engine.text import fold

from .realdata import integras, raw_1989, wikijuridica, wikijuridica_by_id


def test_voters_are_named_in_the_votaram_sentence() -> None:
    for record in wikijuridica():
        text = record["dispositivo"]
        sentence = fold(text[: fold(text).index("votaram")])
        voters = [v for v in parse_votos(text) if v.papel == "acompanhou"]
        assert voters
        for vote in voters:
            assert fold(text[vote.mention.start : vote.mention.end]) in sentence


def test_roles_in_a_real_decision() -> None:
    votes = parse_votos(wikijuridica_by_id("000819468")["dispositivo"])
    roles = {v.mention.entity.key: v.papel for v in votes}
    assert roles == {
        "ministro:sergio_kukina": "acompanhou",
        "ministro:regina_helena_costa": "acompanhou",
        "ministro:gurgel_de_faria": "acompanhou",
        "ministro:manoel_erhardt": "impedido",
    }
    presided = parse_votos(wikijuridica_by_id("000816183")["dispositivo"])
    assert [v.papel for v in presided if v.mention.entity.key == "ministro:benedito_goncalves"] == [
        "acompanhou",
        "presidente",
    ]


def test_result_of_the_decisions() -> None:
    assert resumo_decisao(raw_1989()["decisao"]).resultado == "concedido"
    summary = resumo_decisao(wikijuridica_by_id("000813705")["dispositivo"])
    assert summary.votacao == "unanimidade" and summary.dispositivo == "negar provimento ao recurso"
    assert summary.resultado == "não provido"
    assert resumo_decisao(wikijuridica_by_id("000816183")["dispositivo"]).resultado == "acolhido"


def test_monocratic_descriptions_are_classified() -> None:
    expected = {
        "Conhecido o recurso e não-provido": "não provido",
        "Conhecido o recurso e provido": "provido",
        "Conhecido o recurso e provido em parte": "parcialmente provido",
        "Não conhecido o recurso": "não conhecido",
        "Denegado o Habeas Corpus": "denegado",
        "Embargos de Declaração Não-acolhidos": "rejeitado",
    }
    seen = {
        r["descricaoMonocratica"] for r in integras("metadados20230515.json") if r["descricaoMonocratica"]
    }
    for text, label in expected.items():
        assert text in {s.strip() for s in seen}
        assert classify_resultado(text) == label

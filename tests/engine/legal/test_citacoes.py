"""jurisprudenciaCitada and acordaosSimilares parsers on the real strings."""

from __future__ import annotations

import re
from datetime import date

from jurisgraph.engine.legal import parse_acordao_similar, parse_jurisprudencia_citada

from .realdata import leg_examples, wikijuridica, wikijuridica_by_id


def test_every_bracketed_item_is_parsed() -> None:
    for record in wikijuridica():
        text = record["jurisprudencia_citada"]
        cited = parse_jurisprudencia_citada(text)
        assert len(cited) == text.count("<<")
        for item in cited:
            assert text[item.start : item.end].startswith(item.ref.classe)


def test_topics_and_temas_of_a_real_field() -> None:
    cited = parse_jurisprudencia_citada(wikijuridica_by_id("000816183")["jurisprudencia_citada"])
    by_key = {c.ref.key: c for c in cited}
    first = by_key["processo:resp_1465535"]
    assert first.ref.uf == "SP" and first.court == "STJ"
    assert first.topic == "HONORÁRIOS ADVOCATÍCIOS - MARCO TEMPORAL - DATA DA PROLAÇÃO DA SENTEÇA"
    repetitive = by_key["processo:resp_1850512"]
    assert repetitive.temas == (1076,) and repetitive.repetitivo
    assert repetitive.topic is not None and repetitive.topic.startswith("FIXAÇÃO DE HONORÁRIOS")
    assert by_key["processo:resp_1690015"].temas == ()


def test_compound_cited_classes() -> None:
    cited = parse_jurisprudencia_citada(wikijuridica_by_id("000819468")["jurisprudencia_citada"])
    assert [c.ref.key for c in cited] == [
        "processo:rcd_no_agint_no_resp_1914016",
        "processo:rcd_no_agint_no_aresp_1790505",
        "processo:rcd_no_agint_na_rcl_41549",
        "processo:rcd_nos_edcl_no_agrg_nos_earesp_372057",
    ]
    assert cited[-1].ref.main_key == "processo:earesp_372057"


def test_similar_acordaos() -> None:
    for raw in leg_examples()["similares"]:
        similar = parse_acordao_similar(raw)
        assert similar is not None
        registro = re.search(r"(\d{4})/(\d{7})-(\d)", raw)
        assert registro and similar.numero_registro == "".join(registro.groups())
        day, month, year = re.search(r"Decisão:(\d\d)/(\d\d)/(\d{4})", raw).groups()  # type: ignore[union-attr]
        assert similar.data_decisao == date(int(year), int(month), int(day))
        assert similar.data_publicacao is not None and similar.data_publicacao > similar.data_decisao
    last = parse_acordao_similar(leg_examples()["similares"][-1])
    assert last is not None and last.ref.key == "processo:agint_na_impexe_na_exems_15570"

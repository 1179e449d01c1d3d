"""Laws and articles: the referenciasLegislativas format, aliases and display names."""

from __future__ import annotations

import re
from datetime import date

import pytest

from jurisgraph.engine.legal import law_key_for, norma, parse_referencia

from .realdata import leg_examples, raw_1989, read_csv, read_json, wikijuridica

_HEADER = re.compile(r"LEG:FED (\w+):(\d+) ANO:(\d{4})")
_PREFIX = {"LEI": "lei", "DEC": "dec", "DEL": "dl", "EMC": "emc", "LCP": "lc"}


def _expected(raw: str) -> tuple[str | None, list[str]]:
    """Law key and article keys written out from the raw string with a plain regex."""
    header = _HEADER.match(raw)
    if header is None:
        return None, []
    law = f"{_PREFIX[header.group(1)]}:{int(header.group(2))}_{header.group(3)}"
    return law, [f"{law}:art_{int(n)}" for n in re.findall(r"ART:(\d+)", raw)]


def test_the_twelve_real_strings_give_their_laws_and_articles() -> None:
    checked = 0
    for raw in leg_examples()["leg"]:
        ref = parse_referencia(raw)
        assert ref is not None
        law, articles = _expected(raw)
        if law is None:
            continue
        assert ref.law_key == law
        assert [a.key(law) for a in ref.artigos] == articles
        checked += 1
    assert checked == 9


def test_cpc_2015_string_yields_the_law_and_article_1036() -> None:
    raw = next(s for s in leg_examples()["leg"] if "CPC-15" in s)
    ref = parse_referencia(raw)
    assert ref is not None and ref.law_key == "lei:13105_2015" and ref.sigla == "CPC-15"
    assert [a.key(ref.law_key) for a in ref.artigos] == ["lei:13105_2015:art_1036"]


def test_sumula_blocks_give_stj_and_stf_sumulas() -> None:
    found = set()
    for raw in leg_examples()["leg"]:
        ref = parse_referencia(raw)
        assert ref is not None
        found |= set(ref.sumulas)
    assert found == {"sumula:stj_340", "sumula:stf_359"}


def test_constitution_blocks_of_the_1989_record() -> None:
    first, second = (parse_referencia(raw) for raw in raw_1989()["referenciasLegislativas"])
    assert first is not None and second is not None
    assert first.law_key == "cf:1988" and second.law_key == "adct:1988"
    art5 = first.artigos[0]
    assert art5.key("cf:1988") == "cf:1988:art_5"
    assert art5.incisos == ("XXXIV", "XXXIII") and art5.alineas == ("a", "b")
    assert second.artigos[0].key("adct:1988") == "adct:1988:art_27" and second.artigos[0].paragrafos == ("1",)


def test_wikijuridica_references_match_their_lexml_urns() -> None:
    for record in wikijuridica():
        keys = {parse_referencia(raw).law_key for raw in record["referencias_legislativas_brutas"]}  # type: ignore[union-attr]
        for urn in record["dispositivos_citados_urn"]:
            kind, when, number = re.match(r"urn:lex:br:federal:(\w+):(\d{4})-\d\d-\d\d;(\d+)", urn).groups()  # type: ignore[union-attr]
            expected = (
                "cf:1988"
                if kind == "constituicao"
                else f"{'dec' if kind == 'decreto' else 'lei'}:{number}_{when}"
            )
            assert expected in keys, (urn, keys)


def test_paragraphs_stay_attributes_of_the_article() -> None:
    record = next(r for r in wikijuridica() if r["id_fonte"] == "000816183")
    ref = parse_referencia(record["referencias_legislativas_brutas"][0])
    assert ref is not None
    art85 = ref.artigos[0]
    assert art85.key("lei:13105_2015") == "lei:13105_2015:art_85"
    assert art85.paragrafos == ("2", "3", "4", "5", "6")
    assert norma("lei:13105_2015").cite(art85) == "art. 85, §§ 2º, 3º, 4º, 5º e 6º do CPC/2015"


@pytest.mark.parametrize(
    ("aliases", "key"),
    [
        (
            [
                "CPC-15",
                "CPC/2015",
                "Lei 13.105/2015",
                "Código de Processo Civil de 2015",
                "LEI N. 13.105/2015",
            ],
            "lei:13105_2015",
        ),
        (["CC-02", "CC/2002", "Lei 10.406/2002", "Código Civil de 2002"], "lei:10406_2002"),
        (["CDC", "Lei n. 8.078/1990", "Lei 8.078/90", "Código de Defesa do Consumidor"], "lei:8078_1990"),
        (["CF-1988", "CF/88", "Constituição Federal", "CRFB/88"], "cf:1988"),
        (["CPC-73", "Lei 5.869/1973", "CPC/73"], "lei:5869_1973"),
        (["CTN-66", "Lei 5.172/1966", "Código Tributário Nacional"], "lei:5172_1966"),
    ],
)
def test_aliases_of_one_law_share_a_key(aliases: list[str], key: str) -> None:
    assert {law_key_for(alias) for alias in aliases} == {key}


def test_every_observed_stj_sigla_resolves_to_its_numbered_law() -> None:
    for row in read_csv("referencia/legislacao_siglas_stj_observadas.csv"):
        if not row["sigla_stj"] or row["tipo_norma"] == "SUM":
            continue
        if row["tipo_norma"] in {"CFB", "CFD"}:
            expected = "adct:1988" if row["sigla_stj"].startswith("ADCT") else "cf:1988"
        else:
            expected = f"{_PREFIX[row['tipo_norma']]}:{int(row['numero'])}_{row['ano']}"
        assert law_key_for(row["sigla_stj"]) == expected


def test_planalto_norms_round_trip_to_their_formal_names() -> None:
    for item in read_json("referencia/normas_siglas_planalto.json")["normas"]:
        key = law_key_for(item["lei"])
        assert key is not None, item["lei"]
        assert norma(key).formal == item["lei"]


def test_display_names() -> None:
    assert norma("lei:8078_1990").name == "Lei 8.078/1990 (CDC)"
    assert norma("lei:13105_2015").article_name(85) == "art. 85 do CPC/2015"
    assert norma("lei:12249_2010").article_name(65) == "art. 65 da Lei 12.249/2010"
    assert norma("lei:13105_2015").article_name(1036) == "art. 1.036 do CPC/2015"


def test_bare_cpc_and_civil_code_follow_the_judgment_date() -> None:
    assert law_key_for("CPC", date(2010, 5, 3)) == "lei:5869_1973"
    assert law_key_for("CPC", date(2022, 5, 3)) == "lei:13105_2015"
    assert law_key_for("Código Civil", date(1999, 1, 1)) == "lei:3071_1916"
    assert law_key_for("Código Civil") == "lei:10406_2002"

"""Process keys, display names, registro numbers and class siglas, on real citations."""

from __future__ import annotations

import re

import pytest

from jurisgraph.engine.legal import (
    format_registro,
    normalize_class,
    parse_processo,
    processo_key,
    registro_key,
)

from .realdata import integras, leg_examples, read_csv, wikijuridica


@pytest.mark.parametrize(
    "text", ["REsp 1.465.535/SP", "<<REsp 1465535>>-SP", "REsp 1465535", "REsp 1465535    ", "RESP 1465535"]
)
def test_every_spelling_of_one_process_has_one_key(text: str) -> None:
    assert processo_key(text) == "processo:resp_1465535"


def test_display_name_uses_thousands_dots_and_uf() -> None:
    ref = parse_processo("<<REsp 1465535>>-SP")
    assert ref is not None
    assert ref.name == "REsp 1.465.535/SP"
    unknown_uf = parse_processo("REsp 1465535    ")
    assert unknown_uf is not None and unknown_uf.name == "REsp 1.465.535"


def test_compound_class_keeps_the_full_class_and_exposes_the_main_process() -> None:
    ref = parse_processo("AgInt nos EDcl no REsp 1234")
    assert ref is not None
    assert ref.key == "processo:agint_nos_edcl_no_resp_1234"
    assert ref.main_key == "processo:resp_1234"
    assert ref.classe == "AgInt nos EDcl no REsp"
    assert ref.classe_principal == "REsp"


def test_registro_spellings_are_equivalent() -> None:
    assert registro_key("2014/0165034-6") == registro_key("201401650346") == "registro:201401650346"
    assert format_registro("201401650346") == "2014/0165034-6"


def test_observed_class_siglas_normalise_case_insensitively() -> None:
    rows = read_csv("referencia/classes_processuais_observadas.csv")
    for row in rows:
        sigla = row["sigla_classe"]
        for variant in (sigla, sigla.upper(), sigla.lower()):
            ref = parse_processo(f"{variant} 1234")
            assert ref is not None and ref.classe == sigla
        for part in re.split(r"\s+(?:no|na|nos|nas)\s+", sigla):
            assert normalize_class(part.upper()) == normalize_class(part.lower()) is not None


def test_every_integra_process_parses_to_its_class_and_number() -> None:
    for record in integras():
        classe, numero = record["processo"].split()
        ref = parse_processo(record["processo"])
        assert ref is not None
        assert ref.classe == classe and ref.numero == int(numero)
        assert ref.key == f"processo:{classe.lower()}_{numero}"


def test_similar_acordao_strings_carry_class_number_uf_and_registro() -> None:
    for raw in leg_examples()["similares"]:
        match = re.match(r"(.+?)\s+(\d+) ([A-Z]{2}) (\d{4})/(\d{7})-(\d)", raw)
        assert match
        ref = parse_processo(raw)
        assert ref is not None
        assert ref.classe == match.group(1) and ref.numero == int(match.group(2)) and ref.uf == match.group(3)
        assert registro_key("".join(match.groups()[3:])) == f"registro:{''.join(match.groups()[3:])}"


def test_espelho_classes_and_numbers_build_compound_keys() -> None:
    for record in wikijuridica():
        ref = parse_processo(f"{record['classe']} {record['numero_processo']}")
        assert ref is not None
        assert ref.classe == record["classe"]
        assert ref.main_key == f"processo:{record['classe'].split()[-1].lower()}_{record['numero_processo']}"


def test_stf_processes_carry_the_court() -> None:
    ref = parse_processo("RE 870.947/SE")
    assert ref is not None and ref.tribunal == "STF" and ref.key == "processo:stf_re_870947"


def test_text_that_is_not_a_citation_is_rejected() -> None:
    assert parse_processo("") is None
    assert parse_processo("Lei 8.078/90", strict=True) is None

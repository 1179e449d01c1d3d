"""Value normalisers, the encoding detector and the recovering JSON reader."""

from __future__ import annotations

import json
from datetime import date

from jurisgraph.engine.stj.jsonarray import load_records
from jurisgraph.engine.stj.textenc import decode_bytes
from jurisgraph.engine.stj.values import (
    as_str_list,
    clean,
    epoch_ms_to_date,
    format_number,
    parse_date,
    publication_dates,
    unwrap,
)

from .paths import PRIMEIRA_SECAO, shared_file


def test_placeholders() -> None:
    assert [clean(v) for v in (None, "None", "", "  -  ", "null")] == [None] * 5
    assert clean("Nonetheless") == "Nonetheless" and clean(0) == 0


def test_lists() -> None:
    examples = json.loads(
        shared_file("espelhos/exemplos_reais_referenciasLegislativas_acordaosSimilares.json").read_text()
    )
    strings = next(v for v in examples.values() if isinstance(v, list))
    assert as_str_list(repr(strings)) == strings
    assert as_str_list(strings) == strings
    assert as_str_list("[ ]") == [] and as_str_list("None") == [] and as_str_list([]) == []
    assert as_str_list("LEG:FED LEI:013105 ANO:2015") == ["LEG:FED LEI:013105 ANO:2015"]


def test_dates() -> None:
    assert parse_date("19890912") == date(1989, 9, 12)
    assert parse_date("2022-05-16") == date(2022, 5, 16)
    assert parse_date("04/01/2023") == date(2023, 1, 4)
    assert parse_date("20221340") is None and parse_date("None") is None
    assert epoch_ms_to_date(1662001200000) == date(2022, 9, 1)  # 03:00Z
    assert epoch_ms_to_date(1704852000000) == date(2024, 1, 10)  # 02:00Z, stale DST
    assert epoch_ms_to_date(1645149600000) == date(2022, 2, 18)
    raw = json.loads((PRIMEIRA_SECAO / "19891031.json").read_text())[0]["dataPublicacao"]
    assert publication_dates(raw) == [date(1989, 10, 23)]
    assert publication_dates("DJE        DATA:25/05/2022\nDJEN       DATA:22/05/2026") == [
        date(2022, 5, 25),
        date(2026, 5, 22),
    ]


def test_numbers_and_unwrap() -> None:
    assert format_number("1872357") == "1.872.357" and format_number("15") == "15"
    ementa = (
        "ADMINISTRATIVO. POSSE.\nINDENIZAÇÃO.\n1. A qualificação da posse\n(art. 1.201 do CC).\n"
        "2. Não há nos termos do art.\n85."
    )
    assert unwrap(ementa) == (
        "ADMINISTRATIVO. POSSE.\nINDENIZAÇÃO.\n1. A qualificação da posse (art. 1.201 do CC).\n"
        "2. Não há nos termos do art. 85."
    )


def test_encodings() -> None:
    text = "PRIMEIRA SEÇÃO — ação"
    assert decode_bytes(text.encode(), "iso-8859-1").encoding == "utf-8"
    latin = decode_bytes("PRIMEIRA SEÇÃO".encode("iso-8859-1"), "utf-8")
    assert latin.text == "PRIMEIRA SEÇÃO" and latin.errors[0].code == "encoding"
    twice = decode_bytes("Seção de ação".encode().decode("iso-8859-1").encode(), "utf-8")
    assert twice.text == "Seção de ação" and "double-encoded" in twice.errors[0].message
    assert decode_bytes(b"\xef\xbb\xbfCampo;Nome", "utf-8").text == "Campo;Nome"
    bad = decode_bytes(b"linha boa\nlinha \x81 ruim\n", "iso-8859-1")
    assert bad.text == "linha boa\nlinha \ufffd ruim\n" and bad.errors[-1].code == "undecodable"


def test_json_recovery() -> None:
    assert load_records('[{"a": 1}, {"a": 2}]') == ([{"a": 1}, {"a": 2}], [])
    records, errors = load_records('[{"a": 1}, {"a": 2}')
    assert records == [{"a": 1}, {"a": 2}] and errors[0].code == "truncated_json"
    records, errors = load_records('[{"a": 1}, {"a": 2 "b": 3}, {"a": 4}]')
    assert records == [{"a": 1}, {"a": 4}] and errors[0].code == "malformed_json"
    records, errors = load_records('{"a": 1}')
    assert records == [{"a": 1}] and errors[0].code == "not_an_array"
    assert load_records("<html>")[1][0].code == "not_json"

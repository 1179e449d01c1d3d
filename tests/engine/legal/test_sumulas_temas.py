"""Súmula and tema keys, display names and text forms."""

from __future__ import annotations

import pytest

from jurisgraph.engine.legal import find_mentions, sumula_name, tema_key, tema_name
from jurisgraph.engine.legal.entities import sumula_entity
from jurisgraph.engine.types import EntityType

from .realdata import read_json, temas


def _keys(text: str, kind: EntityType) -> list[str]:
    return [m.entity.key for m in find_mentions(text) if m.entity.type is kind]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("incide a Súmula 7/STJ", ["sumula:stj_7"]),
        ("SÚMULAS 5 E 7/STJ. AGRAVO", ["sumula:stj_5", "sumula:stj_7"]),
        ("o enunciado 83 da Súmula do STJ", ["sumula:stj_83"]),
        ("Súmula nº 85 do STJ", ["sumula:stj_85"]),
        ("Súmulas n. 283 e 284, ambas do STF", ["sumula:stf_283", "sumula:stf_284"]),
        ("Súmula Vinculante 51/STF", ["sumula:stf_vinculante_51"]),
        ("Enunciado n. 5 da Jornada de Direito Civil", []),
    ],
)
def test_sumula_text_forms(text: str, keys: list[str]) -> None:
    assert _keys(text, EntityType.SUMULA) == keys


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("APLICAÇÃO DO TEMA 1.076/STJ", ["tema:1076"]),
        ("Tema Repetitivo 687", ["tema:687"]),
        ("<<REsp 1850512>>-SP (RECURSO REPETITIVO - TEMA(s) 1076)", ["tema:1076"]),
        ("Temas 1.076 e 1.077", ["tema:1076", "tema:1077"]),
        ("(Tema 810/STF)", ["tema:stf_810"]),
        ("Tema n° 810 da repercussão geral", ["tema:stf_810"]),
        ("Tema em IRDR n. 10/TRF4", []),
    ],
)
def test_tema_text_forms(text: str, keys: list[str]) -> None:
    assert _keys(text, EntityType.TEMA) == keys


def test_display_names() -> None:
    assert sumula_name("sumula:stj_7") == "Súmula 7/STJ"
    assert tema_name("tema:1076") == "Tema 1.076/STJ"
    assert tema_name("tema:stf_810") == "Tema 810/STF"


def test_stj_sumulas_carry_the_official_enunciado() -> None:
    source = read_json("derivados/sumulas_stj.json")["sumulas"]
    for number in ("7", "83", "182", "676"):
        entity = sumula_entity(f"sumula:stj_{number}")
        assert entity.description == source[number]["enunciado"]
        assert entity.attributes["situacao"] == source[number]["status"]


def test_every_qualified_precedent_type_of_temas_csv_has_a_distinct_key() -> None:
    seen: dict[str, str] = {}
    for row in temas():
        key = tema_key(int(row["numeroPrecedente"]), "STJ", row["tipoPrecedente"])
        assert key is not None, row["tipoPrecedente"]
        assert seen.setdefault(key, row["sequencialPrecedente"]) == row["sequencialPrecedente"]
        if row["tipoPrecedente"] == "Tema":
            assert key == f"tema:{int(row['numeroPrecedente'])}"

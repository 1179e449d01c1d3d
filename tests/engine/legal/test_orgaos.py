"""Órgão julgador keys and CNJ subjects."""

from __future__ import annotations

import pytest

from jurisgraph.engine.legal import assunto_keys, orgao_key, parse_orgao

from .realdata import integras, raw_1989, read_csv, scon, temas


def test_codes_and_names_of_the_ten_orgaos_agree() -> None:
    for row in read_csv("referencia/orgaos_julgadores.csv"):
        key = f"orgao:{row['codigo'].lower()}"
        assert orgao_key(row["codigo"]) == orgao_key(row["nome_orgao_julgador"]) == key


@pytest.mark.parametrize(
    ("text", "key", "name"),
    [
        ("PRIMEIRA SEÇÃO", "orgao:s1", "Primeira Seção"),
        ("S1", "orgao:s1", "Primeira Seção"),
        ("T2 - SEGUNDA TURMA", "orgao:t2", "Segunda Turma"),
        ("Corte Especial", "orgao:ce", "Corte Especial"),
    ],
)
def test_forms_of_an_orgao(text: str, key: str, name: str) -> None:
    ref = parse_orgao(text)
    assert ref is not None and ref.key == key and ref.exibicao == name


def test_real_values_of_every_source_resolve() -> None:
    values = {r["orgao_julgador"] for r in scon()} | {
        r["orgaoJulgador"] for r in temas() if r["orgaoJulgador"]
    }
    values.add(raw_1989()["nomeOrgaoJulgador"])
    for value in values:
        code = value.split(" - ")[0].strip() if " - " in value else None
        key = orgao_key(value)
        assert key is not None, value
        if code:
            assert key == f"orgao:{code.lower()}"


def test_turmas_belong_to_their_section() -> None:
    assert parse_orgao("T4 - QUARTA TURMA").secao_key == "orgao:s2"  # type: ignore[union-attr]


def test_assuntos_are_deduplicated_in_order() -> None:
    assert assunto_keys("6060;6060;5994") == ["assunto:6060", "assunto:5994"]
    for record in integras():
        codes = [c for c in record["assuntos"].split(";") if c]
        assert assunto_keys(record["assuntos"]) == [f"assunto:{c}" for c in dict.fromkeys(codes)]

"""Minister keys: published names, civil names, SCON spellings and convocados."""

from __future__ import annotations

from jurisgraph.engine.legal import ministro_key, parse_ministro
from jurisgraph.engine.legal.ministros import MinistroRef

from .realdata import integras, processos, read_csv, read_json, scon


def _ref(text: str) -> MinistroRef:
    ref = parse_ministro(text)
    assert ref is not None, text
    return ref


def test_spellings_of_herman_benjamin_share_one_key() -> None:
    spellings = [
        "HERMAN BENJAMIN",
        "Min. Herman Benjamin",
        "Ministro HERMAN BENJAMIN",
        "Antonio Herman de Vasconcellos e Benjamin",
        "herman benjamin",
    ]
    assert {ministro_key(s) for s in spellings} == {"ministro:herman_benjamin"}
    assert _ref("HERMAN BENJAMIN").name == "Min. Herman Benjamin"


def test_scon_names_with_codes_match_the_plain_published_names() -> None:
    for row in scon():
        plain = row["ministro_relator"].removeprefix("Ministro ").removeprefix("Ministra ")
        plain = plain.rsplit(" (", 1)[0]
        assert ministro_key(row["ministro_relator"]) == ministro_key(plain)
    assert ministro_key("Ministro OG FERNANDES (1139)") == ministro_key("Geraldo Og Nicéas Marques Fernandes")


def test_every_observed_name_resolves_and_convocados_are_flagged() -> None:
    for row in read_csv("referencia/ministros_observados.csv"):
        ref = parse_ministro(row["nome_como_publicado"])
        if row["nome_como_publicado"].startswith("PRESIDENTE DA COMISSÃO"):
            assert ref is None
            continue
        assert ref is not None and ref.known
        assert ref.convocado == (row["convocado"] == "S")


def test_convocado_keeps_origin_court_whatever_the_spelling() -> None:
    first = _ref("MANOEL ERHARDT (DESEMBARGADOR CONVOCADO DO TRF5)")
    second = _ref("Manoel Erhardt (Desembargador convocado do TRF-5ª Região)")
    assert first.key == second.key == "ministro:manoel_erhardt"
    assert first.convocado and first.origem == second.origem == "TRF5"
    assert first.attributes()["convocado"] is True


def test_every_sitting_minister_is_known_by_civil_name() -> None:
    composicao = read_json("referencia/ministros_stj_composicao_2026-09.json")["ministros"]
    keys = set()
    for item in composicao:
        ref = _ref(item["nome"].split(" - ")[0])
        assert ref.known and ref.uf == item["uf"] and ref.codigo == item["cod"]
        keys.add(ref.key)
    assert len(keys) == len(composicao)


def test_relators_of_integras_and_precedentes_are_known() -> None:
    names = {r["ministro"] for r in integras("metadados20240110.json")}
    names |= {r["ministroRelator"] for r in processos() if r["ministroRelator"].strip()}
    names.discard("PRESIDENTE DA COMISSÃO GESTORA DE PRECEDENTES")
    for name in names:
        assert _ref(name).known, name


def test_accents_and_case_do_not_matter() -> None:
    assert (
        ministro_key("SEBASTIÃO REIS JÚNIOR")
        == ministro_key("sebastiao reis junior")
        == ministro_key("SEBASTIAO REIS")
    )
    assert ministro_key("Mauro Campbell") == "ministro:mauro_campbell_marques"

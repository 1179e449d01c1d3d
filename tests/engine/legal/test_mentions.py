"""Free-text rules on real ementas: exact spans, line breaks, citations and determinism."""

from __future__ import annotations

import re
from datetime import date

import pytest

from jurisgraph.engine.legal import find_mentions, parse_referencia, scan_text
from jurisgraph.engine.text import fold
from jurisgraph.engine.types import Entity, EntityType, RelationType

from .realdata import scon, wikijuridica, wikijuridica_by_id


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _span_matches(entity: Entity, surface: str) -> bool:
    """The surface form really cites the entity (independent of how the rules found it)."""
    folded = fold(surface)
    if entity.type in (EntityType.PROCESSO, EntityType.PRECEDENTE):
        return str(entity.attributes["numero"]) in _digits(surface)
    if entity.type in (EntityType.SUMULA, EntityType.TEMA):
        return entity.key.rsplit("_", 1)[-1].rsplit(":", 1)[-1] in _digits(surface)
    if entity.type is EntityType.LEGISLACAO and entity.attributes.get("nivel") == "artigo":
        number = int(re.sub(r"\D", "", entity.attributes["artigo"]))
        cited = [int(n.replace(".", "")) for n in re.findall(r"\d+(?:\.\d{3})*", surface)]
        in_range = " a " in folded and min(cited) < number < max(cited)
        return "art" in folded and (number in cited or in_range)
    if entity.type is EntityType.MINISTRO:
        return folded.split()[0] in fold(entity.name)
    if entity.type is EntityType.ORGAO_JULGADOR:
        return any(word in folded for word in ("turma", "secao", "corte"))
    return bool(surface.strip())


def test_every_span_is_exact_on_real_texts() -> None:
    texts = [
        r["ementa"] + "\n" + r["dispositivo"] + "\n" + r["jurisprudencia_citada"] for r in wikijuridica()
    ]
    texts += [r["ementa"] + "\n" + r["acordao"] for r in scon()[:40]]
    total = 0
    for text in texts:
        for mention in find_mentions(text):
            surface = text[mention.start : mention.end]
            assert surface == surface.strip() and surface, (mention, surface)
            assert _span_matches(mention.entity, surface), (mention.entity.key, surface)
            total += 1
    assert total > 500


def test_articles_found_in_the_ementa_are_those_of_the_referencias() -> None:
    for record_id in ("000813619", "000816172"):
        record = wikijuridica_by_id(record_id)
        expected = set()
        for raw in record["referencias_legislativas_brutas"]:
            ref = parse_referencia(raw)
            assert ref is not None and ref.law_key
            expected |= {a.key(ref.law_key) for a in ref.artigos}
        found = {
            m.entity.key
            for m in find_mentions(record["ementa"])
            if m.entity.attributes.get("nivel") == "artigo"
        }
        assert found <= expected and found, (found, expected)
    found = {m.entity.key for m in find_mentions(wikijuridica_by_id("000813619")["ementa"])}
    assert {"lei:10406_2002:art_1201", "lei:10406_2002:art_1219", "lei:10406_2002:art_1220"} <= found


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("art. 85, § 2º, do CPC/2015", "lei:13105_2015:art_85"),
        ("art. 1.201 do CC", "lei:10406_2002:art_1201"),
        ("Lei n. 8.078/1990", "lei:8078_1990"),
        ("Lei 8.078/90", "lei:8078_1990"),
        ("CF/88", "cf:1988"),
        ("art. 5º, XXXV, da CF", "cf:1988:art_5"),
        ("ART. 1º-F DA LEI N. 9.494/1997", "lei:9494_1997:art_1f"),
        ("Código de Processo Civil de 2015", "lei:13105_2015"),
        ("Lei n. 13.000, de 18 de junho de 2014", "lei:13000_2014"),
        ("Decreto\n20.910/32", "dec:20910_1932"),
    ],
)
def test_statute_text_forms(text: str, key: str) -> None:
    mentions = find_mentions(text)
    assert mentions and mentions[0].entity.key == key
    assert (mentions[0].start, mentions[0].end) == (0, len(text))


def test_one_mention_per_cited_thing() -> None:
    text = "EREsp 1.234/SP, Rel. p/ acórdão Min. Og Fernandes; Decreto-Lei 2.283, de 27-02-86"
    found = [(m.entity.key, text[m.start : m.end], m.role) for m in find_mentions(text)]
    assert found == [
        ("processo:eresp_1234", "EREsp 1.234/SP", None),
        ("ministro:og_fernandes", "Og Fernandes", "relator"),
        ("dl:2283_1986", "Decreto-Lei 2.283, de 27-02-86", None),
    ]


def test_lowercase_siglas_alone_are_not_laws() -> None:
    assert find_mentions("o cc e o cp foram enviados; a lei foi publicada") == []


def test_an_article_mention_also_yields_its_law() -> None:
    text = "a regra geral do art. 85, §2º, do CPC/2015, que tem"
    mentions = find_mentions(text)
    keys = {m.entity.key: text[m.start : m.end] for m in mentions}
    assert keys == {"lei:13105_2015:art_85": "art. 85, §2º, do CPC/2015", "lei:13105_2015": "CPC/2015"}
    links = scan_text(text).links
    assert [(k.source, k.type, k.target) for k in links] == [
        ("lei:13105_2015:art_85", RelationType.PERTENCE_A, "lei:13105_2015")
    ]


def test_citations_that_span_a_hard_line_break() -> None:
    ementa = wikijuridica_by_id("000816183")["ementa"]
    found = {m.entity.key: ementa[m.start : m.end] for m in find_mentions(ementa)}
    assert found["processo:resp_1465535"] == "REsp\n1.465.535/SP"
    assert "\n" in ementa[ementa.index("art. 85, §§ 3º") :].split("CPC/2015")[0]
    articles = [
        ementa[m.start : m.end] for m in find_mentions(ementa) if m.entity.key == "lei:13105_2015:art_85"
    ]
    assert "art. 85, §§ 3º, 4º, 5º e 6º,\ndo CPC/2015" in articles
    assert found["tema:1076"] in {"TEMA 1.076/STJ", "Tema 1.076/STJ"}


def test_a_cited_precedent_links_relator_and_turma() -> None:
    ementa = wikijuridica_by_id("000816183")["ementa"]
    scan = scan_text(ementa)
    relator = next(m for m in scan.mentions if m.entity.key == "ministro:luis_felipe_salomao")
    assert ementa[relator.start : relator.end] == "LUIS FELIPE SALOMÃO" and relator.role == "relator"
    links = {(k.source, k.type, k.target) for k in scan.links}
    assert ("ministro:luis_felipe_salomao", RelationType.RELATOR_DE, "processo:resp_1465535") in links
    assert ("processo:resp_1465535", RelationType.JULGADO_POR, "orgao:t4") in links


def test_repetitive_citation_yields_process_and_tema() -> None:
    text = "STJ - <<REsp 1850512>>-SP (RECURSO REPETITIVO - TEMA(s) 1076),"
    scan = scan_text(text)
    assert {m.entity.key for m in scan.mentions} == {"processo:resp_1850512", "tema:1076"}
    assert ("processo:resp_1850512", RelationType.TRATA_DE, "tema:1076") in {
        (k.source, k.type, k.target) for k in scan.links
    }


def test_sumulas_in_the_ementa_match_the_sum_block() -> None:
    record = wikijuridica_by_id("000813705")
    ref = parse_referencia(record["referencias_legislativas_brutas"][0])
    assert ref is not None
    found = {m.entity.key for m in find_mentions(record["ementa"]) if m.entity.type is EntityType.SUMULA}
    assert found == set(ref.sumulas) == {"sumula:stj_5", "sumula:stj_7"}


def test_minister_lists_in_the_decision() -> None:
    record = wikijuridica_by_id("000816183")
    found = [
        m.entity.key for m in find_mentions(record["dispositivo"]) if m.entity.type is EntityType.MINISTRO
    ]
    assert found[:4] == [
        "ministro:benedito_goncalves",
        "ministro:sergio_kukina",
        "ministro:regina_helena_costa",
        "ministro:gurgel_de_faria",
    ]


def test_compound_citation_also_names_the_main_process() -> None:
    text = "Precedente: AgRg no REsp 1.387.641/RS, Rel. Ministro Mauro Campbell Marques, Segunda Turma"
    keys = [m.entity.key for m in find_mentions(text)]
    assert "processo:agrg_no_resp_1387641" in keys and "processo:resp_1387641" in keys
    assert "ministro:mauro_campbell_marques" in keys and "orgao:t2" in keys


def test_law_first_citations() -> None:
    text = "cogitam de matéria própria dessa espécie recursal  (CPC,  arts. 1.022 e 1.023)."
    keys = {m.entity.key for m in find_mentions(text)}
    assert keys == {"lei:13105_2015", "lei:13105_2015:art_1022", "lei:13105_2015:art_1023"}


def test_bare_cpc_depends_on_the_judgment_date() -> None:
    text = "violação do art. 535 do CPC"
    assert "lei:5869_1973:art_535" in {
        m.entity.key for m in find_mentions(text, reference_date=date(2012, 1, 1))
    }
    assert "lei:13105_2015:art_535" in {m.entity.key for m in find_mentions(text)}


def test_scan_is_deterministic() -> None:
    """Speed is measured by bench/ingest.py (extraction throughput), never by a timed test."""
    texts = [r["ementa"] + "\n" + r["acordao"] for r in scon()]
    first = [scan_text(t) for t in texts]
    second = [scan_text(t) for t in texts]
    assert first == second
    assert sum(len(found.mentions) for found in first) > len(texts)


def test_a_dot_after_the_class_sigla_still_cites_the_process() -> None:
    text = "Conforme o REsp. 1.850.512/SP e o AgInt no REsp. 1.465.535/SP, rel. Min. Og Fernandes."
    keys = [m.entity.key for m in find_mentions(text) if m.entity.type is EntityType.PROCESSO]
    assert "processo:resp_1850512" in keys
    assert "processo:agint_no_resp_1465535" in keys
    spans = [text[m.start : m.end] for m in find_mentions(text) if m.entity.key == "processo:resp_1850512"]
    assert spans[0] == "REsp. 1.850.512/SP"
    # a sentence that ends on a sigla is not a citation of whatever number comes next
    assert not [
        m
        for m in find_mentions("Interpôs o REsp. Em 2020 foi julgado.")
        if m.entity.type is EntityType.PROCESSO
    ]

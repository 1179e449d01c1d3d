"""Structured + rule extraction of real espelhos (raw 1989 record and the 6 wikijuridica ones)."""

from __future__ import annotations

import pytest

from jurisgraph.engine.extract import extract_document, extract_text
from jurisgraph.engine.text import fold
from jurisgraph.engine.types import Entity, EntityType, Extraction, RelationType, SourceDocument, relation_key

from .stjsamples import espelho_doc, raw_1989, wikijuridica


def _doc(record_id: str, sections: tuple[str, ...] = ("ementa", "decisao")) -> SourceDocument:
    return espelho_doc(next(f for f in wikijuridica() if f["id"] == record_id), sections=sections)


def _edges(extraction: Extraction) -> dict[tuple[str, RelationType, str], float]:
    return {(r.source, r.type, r.target): r.weight for r in extraction.relations}


def _entities(extraction: Extraction) -> dict[str, Entity]:
    return {e.key: e for e in extraction.entities}


def test_raw_1989_record() -> None:
    raw = raw_1989()
    extraction = extract_document(espelho_doc(raw))
    edges = _edges(extraction)
    entities = _entities(extraction)
    own = "processo:ms_15"
    assert entities[own].name == "MS 15"
    assert entities[own].attributes["numero_registro"] == raw["numeroRegistro"]
    assert edges[("ministro:ilmar_galvao", RelationType.RELATOR_DE, own)] == 1.0
    assert edges[(own, RelationType.JULGADO_POR, "orgao:s1")] == 1.0
    assert (own, RelationType.REFERENCIA, "cf:1988:art_5") in edges
    assert (own, RelationType.REFERENCIA, "adct:1988:art_27") in edges
    assert ("cf:1988:art_5", RelationType.PERTENCE_A, "cf:1988") in edges
    decision = entities["decisao:espelho_000389583"]
    assert decision.attributes["resultado"] == "concedido"
    assert (decision.key, RelationType.DECIDIU, own) in edges
    relator_mentions = [
        m
        for m in extraction.mentions
        if m.target == relation_key("ministro:ilmar_galvao", RelationType.RELATOR_DE, own)
    ]
    assert [m.field for m in relator_mentions] == ["ministroRelator"]


def test_repetitive_citations_votes_and_laws_of_a_real_espelho() -> None:
    extraction = extract_document(_doc("000816183", ("ementa", "decisao", "jurisprudenciaCitada")))
    edges = _edges(extraction)
    entities = _entities(extraction)
    own = "processo:edcl_no_agint_no_resp_1872357"
    assert (own, RelationType.PERTENCE_A, "processo:resp_1872357") in edges
    cited = next(r for r in extraction.relations if r.target == "processo:resp_1850512")
    assert cited.type is RelationType.CITA_PRECEDENTE and cited.source == own
    assert cited.description.startswith("FIXAÇÃO DE HONORÁRIOS DE SUCUMBÊNCIA")
    assert edges[("processo:resp_1850512", RelationType.TRATA_DE, "tema:1076")] == 1.0
    assert edges[(own, RelationType.REFERENCIA, "lei:13105_2015:art_85")] == 1.0
    assert ("lei:13105_2015:art_85", RelationType.PERTENCE_A, "lei:13105_2015") in edges
    voters = {r.source for r in extraction.relations if r.type is RelationType.VOTOU_EM}
    assert voters == {
        "ministro:benedito_goncalves",
        "ministro:sergio_kukina",
        "ministro:regina_helena_costa",
        "ministro:gurgel_de_faria",
    }
    relator = entities["ministro:manoel_erhardt"]
    assert relator.attributes["convocado"] is True and relator.attributes["origem"] == "TRF5"
    assert ("ministro:manoel_erhardt", RelationType.RELATOR_DE, own) in edges
    assert ("ministro:luis_felipe_salomao", RelationType.RELATOR_DE, "processo:resp_1465535") in edges
    assert (own, RelationType.TRATA_DE, "tema:1076") in edges
    decision = next(e for e in extraction.entities if e.type is EntityType.DECISAO)
    assert decision.attributes["resultado"] == "acolhido" and decision.attributes["votacao"] == "unanimidade"


def test_one_relation_per_fact_with_every_occurrence_counted() -> None:
    doc = _doc("000813705")
    extraction = extract_document(doc)
    keys = [relation_key(r.source, r.type, r.target) for r in extraction.relations]
    assert len(keys) == len(set(keys))
    assert len({e.key for e in extraction.entities}) == len(extraction.entities)
    applied = relation_key("processo:agint_no_aresp_1920868", RelationType.APLICA, "sumula:stj_7")
    spans = [m for m in extraction.mentions if m.target == applied]
    assert len(spans) == fold(doc.text).count("5 e 7/stj") == 2
    assert all(fold(doc.text[m.start : m.end]).endswith("7/stj") for m in spans)
    structured = relation_key("processo:agint_no_aresp_1920868", RelationType.REFERENCIA, "sumula:stj_7")
    assert [m.field for m in extraction.mentions if m.target == structured] == ["referenciasLegislativas"]


@pytest.mark.parametrize("record_id", [f["id"] for f in wikijuridica()])
def test_invariants_on_every_real_espelho(record_id: str) -> None:
    doc = _doc(record_id, ("ementa", "decisao", "jurisprudenciaCitada"))
    extraction = extract_document(doc)
    keys = {e.key for e in extraction.entities}
    relation_keys = set()
    for relation in extraction.relations:
        assert relation.source in keys and relation.target in keys
        assert 0.0 < relation.weight <= 1.0
        relation_keys.add(relation_key(relation.source, relation.type, relation.target))
    mentioned = set()
    for mention in extraction.mentions:
        assert mention.target in keys or mention.target in relation_keys
        if mention.start is not None:
            assert mention.end is not None and doc.text[mention.start : mention.end].strip()
        else:
            assert mention.field in doc.fields
        mentioned.add(mention.target)
    assert keys <= mentioned and relation_keys <= mentioned
    assert extract_document(doc) == extraction


def test_free_text_fields_outside_the_text_are_scanned_with_field_mentions() -> None:
    doc = _doc("000813705", sections=())
    extraction = extract_document(doc)
    sumula = [m for m in extraction.mentions if m.target == "sumula:stj_5"]
    assert {m.field for m in sumula} == {"ementa", "referenciasLegislativas"}
    assert all(m.start is None for m in sumula)


def test_text_only_extraction_for_uploads() -> None:
    text = "Nos termos do art. 6º, VIII, do CDC e da Súmula 297/STJ (REsp 1.465.535/SP)."
    extraction = extract_text(text, subject="upload:1")
    keys = {e.key for e in extraction.entities}
    assert keys == {"lei:8078_1990", "lei:8078_1990:art_6", "sumula:stj_297", "processo:resp_1465535"}
    edges = {(r.source, r.type, r.target) for r in extraction.relations}
    assert ("lei:8078_1990:art_6", RelationType.PERTENCE_A, "lei:8078_1990") in edges
    assert ("upload:1", RelationType.REFERENCIA, "lei:8078_1990:art_6") in edges
    assert ("upload:1", RelationType.APLICA, "sumula:stj_297") in edges
    assert ("upload:1", RelationType.CITA_PRECEDENTE, "processo:resp_1465535") in edges


def test_extraction_is_deterministic_on_real_espelhos() -> None:
    """The same espelho gives the same extraction every time (its speed: bench/engine.py)."""
    docs = [espelho_doc(f, sections=("ementa", "decisao", "jurisprudenciaCitada")) for f in wikijuridica()]
    docs.append(espelho_doc(raw_1989()))
    for doc in docs:
        first = extract_document(doc)
        assert first.entities and first.relations
        assert extract_document(doc) == first

"""Extraction of real íntegras metadata records."""

from __future__ import annotations

from jurisgraph.engine.extract import extract_document
from jurisgraph.engine.legal import ministro_key, processo_key
from jurisgraph.engine.types import EntityType, RelationType

from .stjsamples import integra_docs


def test_every_record_links_relator_decision_and_subjects() -> None:
    for doc in integra_docs():
        extraction = extract_document(doc)
        edges = {(r.source, r.type, r.target) for r in extraction.relations}
        own = processo_key(doc.fields["processo"])
        assert own is not None
        assert (ministro_key(doc.fields["ministro"]), RelationType.RELATOR_DE, own) in edges
        decisions = [e for e in extraction.entities if e.type is EntityType.DECISAO]
        assert len(decisions) == 1 and decisions[0].key == f"decisao:integra_{doc.fields['seqDocumento']}"
        assert (decisions[0].key, RelationType.DECIDIU, own) in edges
        assert decisions[0].attributes["tipo"] == doc.fields["tipoDocumento"]
        subjects = {t for s, k, t in edges if s == own and k is RelationType.TRATA_DE}
        assert subjects == {f"assunto:{code}" for code in doc.fields["assuntos"]}


def test_a_real_monocratic_decision() -> None:
    doc = next(d for d in integra_docs() if d.fields["processo"] == "REsp 1459915")
    extraction = extract_document(doc)
    entities = {e.key: e for e in extraction.entities}
    assert entities["processo:resp_1459915"].attributes["numero_registro"] == "201401431505"
    assert entities["ministro:raul_araujo"].name == "Min. Raul Araújo"
    decision = next(e for e in extraction.entities if e.type is EntityType.DECISAO)
    assert decision.attributes["resultado"] == "provido"
    assert decision.attributes["teor"] == "Concedendo"
    assert {"assunto:10437", "assunto:10443"} <= set(entities)


def test_recurso_is_kept_on_the_decision() -> None:
    doc = next(d for d in integra_docs() if d.fields["processo"] == "RMS 56687")
    decision = next(e for e in extract_document(doc).entities if e.type is EntityType.DECISAO)
    assert decision.attributes["recurso"] == "RECURSO EXTRAORDINÁRIO"
    assert decision.attributes["descricao"] == "Negado seguimento ao recurso"
    assert decision.attributes["resultado"] == "seguimento negado"

"""Extraction of qualified precedents: temas.csv rows with their processos.csv rows."""

from __future__ import annotations

from jurisgraph.engine.extract import extract_document
from jurisgraph.engine.legal import ministro_key
from jurisgraph.engine.types import EntityType, RelationType

from .stjsamples import processos, tema_doc, temas


def _row(**wanted: str) -> dict[str, str]:
    return next(r for r in temas() if all(r[k] == v for k, v in wanted.items()))


def test_tema_1076_leading_case_relator_orgao_and_thesis() -> None:
    row = _row(tipoPrecedente="Tema", numeroPrecedente="1076")
    extraction = extract_document(tema_doc(row))
    edges = {(r.source, r.type, r.target): r for r in extraction.relations}
    tema = next(e for e in extraction.entities if e.key == "tema:1076")
    assert tema.name == "Tema 1.076/STJ" and tema.description == row["teseFirmada"].strip()
    cases = [p for p in processos() if p["sequencialPrecedente"] == row["sequencialPrecedente"]]
    assert len(cases) == 4
    for case in cases:
        key = f"processo:{case['Processo'].split()[0].lower()}_{case['Processo'].split()[1]}"
        kind = RelationType.LEADING_CASE_DE if case["leadingCase"] == "S" else RelationType.TRATA_DE
        assert (key, kind, "tema:1076") in edges
        assert (ministro_key(case["ministroRelator"]), RelationType.RELATOR_DE, key) in edges
    assert ("processo:resp_1850512", RelationType.LEADING_CASE_DE, "tema:1076") in edges
    assert ("processo:resp_1850512", RelationType.JULGADO_POR, "orgao:ce") in edges
    assert ("tema:1076", RelationType.JULGADO_POR, "orgao:ce") in edges
    codes = {f"assunto:{code}" for code in ("8826", "8874", "10655", "8893", "8934")}
    assert codes <= {t for s, k, t in edges if s == "tema:1076" and k is RelationType.TRATA_DE}
    assert ("tema:1076", RelationType.REFERENCIA, "tema:stf_1255") in edges


def test_sumula_originated_by_a_tema() -> None:
    row = next(r for r in temas() if r["sumulaOriginada"].strip().isdigit())
    number = row["sumulaOriginada"].strip()
    extraction = extract_document(tema_doc(row))
    key = f"sumula:stj_{number}"
    assert any(r.type is RelationType.ORIGINOU_SUMULA and r.target == key for r in extraction.relations)
    sumula = next(e for e in extraction.entities if e.key == key)
    assert sumula.type is EntityType.SUMULA and sumula.description


def test_legislation_field_of_a_tema() -> None:
    row = next(r for r in temas() if r["referenciaLegislativa"].startswith("Lei 9.494/1997. Art. 1º-F"))
    extraction = extract_document(tema_doc(row))
    tema = extraction.entities[0].key
    edges = {(r.source, r.type, r.target): r.weight for r in extraction.relations}
    assert edges[(tema, RelationType.REFERENCIA, "lei:9494_1997:art_1f")] == 1.0
    assert ("lei:9494_1997:art_1f", RelationType.PERTENCE_A, "lei:9494_1997") in edges


def test_other_precedent_types_and_desafetacao() -> None:
    row = _row(tipoPrecedente="Controvérsia", numeroPrecedente="1")
    extraction = extract_document(tema_doc(row))
    assert extraction.entities[0].key == "tema:controversia_1"
    assert extraction.entities[0].name == "Controvérsia 1/STJ"
    desafetado = next(p for p in processos() if p["Desafeta__o"].strip() and p["tipoPrecedente"] == "Tema")
    row = next(r for r in temas() if r["sequencialPrecedente"] == desafetado["sequencialPrecedente"])
    relation = next(
        r
        for r in extract_document(tema_doc(row)).relations
        if r.source.endswith(desafetado["Processo"].split()[1]) and r.type is RelationType.TRATA_DE
    )
    assert relation.description == "desafetado" and relation.weight < 0.5

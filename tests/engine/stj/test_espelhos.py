"""Espelhos de acórdãos: the raw 1989 record, the converted 2022 records, broken files."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from typing import Any

from jurisgraph.engine.stj import ParseResult, dedupe_documents, parse_espelhos, parse_espelhos_zip
from jurisgraph.engine.stj.espelhos import parse_temas

from .paths import FIXTURES, PRIMEIRA_SECAO, PRIMEIRA_TURMA, shared_file

RAW_1989 = PRIMEIRA_SECAO / "19891031.json"
SIMILAR = "AgInt na ExeMS  18409 DF 2018/0229287-0 Decisão:02/09/2024\nDJE        DATA:05/09/2024"


def _raw_record() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(RAW_1989.read_text("utf-8"))[0]
    return record


def _parse_records(records: list[Any]) -> ParseResult:
    return parse_espelhos(json.dumps(records).encode(), source_name="test.json")


def test_raw_1989_record() -> None:
    result = parse_espelhos(
        RAW_1989.read_bytes(), source_name="19891031.json", source_url="https://x/19891031.json"
    )
    assert result.ok and not result.skipped
    [doc] = result.documents
    assert doc.key == "espelho:000389583"
    assert doc.kind == "espelho"
    assert doc.title == "MS 15 — PRIMEIRA SEÇÃO"
    meta = doc.meta
    assert meta.relator == "ILMAR GALVAO"
    assert meta.data_decisao == date(1989, 9, 12)
    assert meta.orgao_julgador == "PRIMEIRA SEÇÃO"
    assert meta.data_publicacao == date(1989, 10, 23)
    assert (meta.processo, meta.classe, meta.numero_registro) == ("MS 15", "MS", "198900070738")
    assert meta.tipo == "ACÓRDÃO" and meta.temas == ()
    assert meta.source_url == "https://x/19891031.json"
    assert doc.fields["dataPublicacao"].splitlines()[1].startswith("RSTJ")
    assert doc.fields["jurisprudenciaCitada"] is None
    assert doc.fields["acordaosSimilares"] == []
    [cf, adct] = doc.fields["referenciasLegislativas"]
    assert "CF-1988" in cf and "ART:00005 INC:00034" in cf and "ADCT-88" in adct
    assert "Ementa:\nMANDADO DE SEGURANÇA. ADMINISTRATIVO." in doc.text
    assert "Decisão:\nPOR UNANIMIDADE, CONCEDER O MANDADO DE SEGURANÇA." in doc.text
    assert "CERTIDÃO REQUERIDA POR EX-MILITAR" in doc.text  # hard line break joined


def test_converted_records_match_the_original_collection() -> None:
    originals = {
        r["id_fonte"]: r
        for r in map(
            json.loads,
            shared_file("espelhos/wikijuridica_stj_espelhos_sample_6.jsonl").read_text().splitlines(),
        )
    }
    docs = [
        d
        for f in sorted(PRIMEIRA_TURMA.glob("2022*.json"))
        for d in parse_espelhos(f.read_bytes(), source_name=f.name).documents
    ]
    assert sorted(d.key.split(":")[1] for d in docs) == sorted(originals)
    for doc in docs:
        original = originals[doc.key.split(":")[1]]
        assert doc.meta.relator == original["relator"]
        assert doc.meta.classe == original["classe"]
        assert doc.meta.data_decisao == date.fromisoformat(original["data_julgamento"])
        assert doc.meta.data_publicacao == date.fromisoformat(original["data_publicacao"])
        assert doc.fields["referenciasLegislativas"] == original["referencias_legislativas_brutas"]
        assert doc.meta.orgao_julgador == "PRIMEIRA TURMA"


def test_title_text_and_citations_of_a_2022_record() -> None:
    result = parse_espelhos((PRIMEIRA_TURMA / "20220630.json").read_bytes(), source_name="20220630.json")
    doc = next(d for d in result.documents if d.key == "espelho:000816183")
    assert doc.title == "EDcl no AgInt no REsp 1.872.357 — PRIMEIRA TURMA"
    assert doc.meta.processo == "EDcl no AgInt no REsp 1872357"
    assert doc.meta.relator == "MANOEL ERHARDT (DESEMBARGADOR CONVOCADO DO TRF5)"
    assert doc.fields["tema"] is None  # published as ""
    assert "<<REsp 1850512>>-SP (RECURSO REPETITIVO - TEMA(s) 1076)" in doc.fields["jurisprudenciaCitada"]
    assert "\nJurisprudência citada:\n(HONORÁRIOS ADVOCATÍCIOS - MARCO TEMPORAL" in doc.text
    assert doc.text.index("Ementa:") < doc.text.index("Decisão:") < doc.text.index("Jurisprudência citada:")


def test_placeholders_and_list_fields_as_strings() -> None:
    record = _raw_record()
    references = record["referenciasLegislativas"]
    record.update(
        notas="None",
        tema="  -  ",
        teseJuridica="",
        numeroDocumento="None",
        referenciasLegislativas=repr(references),
        acordaosSimilares=SIMILAR,
    )
    [doc] = _parse_records([record]).documents
    assert (
        doc.fields["notas"] is None and doc.fields["tema"] is None and doc.fields["numeroDocumento"] is None
    )
    assert doc.fields["referenciasLegislativas"] == references
    assert doc.fields["acordaosSimilares"] == [record["acordaosSimilares"]]
    assert "Notas:" not in doc.text and "Tese jurídica:" not in doc.text


def test_tema_numbers() -> None:
    assert parse_temas("1076") == (1076,)
    assert parse_temas("TEMA(s) 1.076, 1077 e 1076") == (1076, 1077)
    assert parse_temas("None") == ()


def test_records_without_id_are_skipped_and_duplicates_keep_the_last() -> None:
    first, second = _raw_record(), _raw_record()
    second["ementa"] = "EMENTA CORRIGIDA."
    empty = {**_raw_record(), "id": ""}
    result = _parse_records([first, empty, "not an object", second])
    [doc] = result.documents
    assert "EMENTA CORRIGIDA." in doc.text
    reasons = {s.index: s.reason for s in result.skipped}
    assert reasons[1] == "empty id"
    assert reasons[2].startswith("not a JSON object")
    assert "duplicate id" in reasons[0]


def test_dedupe_across_files_last_seen_wins_at_first_position() -> None:
    may = parse_espelhos((PRIMEIRA_TURMA / "20220531.json").read_bytes(), source_name="may").documents
    newer = parse_espelhos((PRIMEIRA_TURMA / "20220531.json").read_bytes(), source_name="june").documents[:1]
    merged = dedupe_documents([*may, *newer])
    assert [d.key for d in merged] == [d.key for d in may]
    assert merged[0].meta.extra["source_name"] == "june"
    assert all(d.meta.extra["source_name"] == "may" for d in merged[1:])


def test_empty_month_with_extra_brace() -> None:
    result = parse_espelhos(
        (FIXTURES / "espelhos_empty_month_extra_brace.json").read_bytes(), source_name="m"
    )
    assert result.documents == []
    assert [s.reason for s in result.skipped] == ["empty id"]
    [error] = result.errors
    assert error.code == "malformed_json" and "'}'" in error.message and "recovered 1" in error.message


def test_extra_brace_between_records_keeps_all_records() -> None:
    result = parse_espelhos((FIXTURES / "espelhos_extra_brace_20220531.json").read_bytes(), source_name="m")
    assert sorted(d.key for d in result.documents) == [
        "espelho:000813619",
        "espelho:000813705",
        "espelho:000815091",
    ]
    assert [e.code for e in result.errors] == ["malformed_json"]


def test_truncated_file_keeps_the_complete_records() -> None:
    result = parse_espelhos((FIXTURES / "espelhos_truncated_20220531.json").read_bytes(), source_name="t")
    assert [d.key for d in result.documents] == ["espelho:000813619", "espelho:000813705"]
    [error] = result.errors
    assert error.code == "truncated_json" and "recovered 2" in error.message


def test_latin1_file_is_decoded_and_reported() -> None:
    result = parse_espelhos(RAW_1989.read_text("utf-8").encode("iso-8859-1"), source_name="latin1.json")
    assert result.documents[0].meta.orgao_julgador == "PRIMEIRA SEÇÃO"
    assert [e.code for e in result.errors] == ["encoding"]


def test_historical_zip_of_months() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(PRIMEIRA_TURMA.glob("2022*.json")):
            archive.writestr(f"primeira-turma/{path.name}", path.read_bytes())
        archive.writestr("leia-me.txt", "not json")
    result = parse_espelhos_zip(buffer.getvalue(), source_name="20220507.zip")
    assert len(result.documents) == 6 and result.ok


def test_parses_thousands_of_records_in_one_file() -> None:
    """Every record of a large file is parsed, each under its own id (its speed: bench/engine.py)."""
    records = []
    for path in sorted(PRIMEIRA_TURMA.glob("2022*.json")):
        records.extend(json.loads(path.read_text("utf-8")))
    many = [{**records[i % len(records)], "id": f"{i:09d}"} for i in range(6000)]
    data = json.dumps(many, ensure_ascii=False).encode()
    result = parse_espelhos(data, source_name="many.json")
    assert len(result.documents) == 6000
    assert len({doc.key for doc in result.documents}) == 6000

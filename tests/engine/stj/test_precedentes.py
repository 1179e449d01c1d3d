"""Precedentes qualificados: temas.csv joined with processos.csv, and badly encoded files."""

from __future__ import annotations

from datetime import date

from jurisgraph.engine.stj import ParseResult, parse_integra_metadata, parse_precedentes, tema_key
from jurisgraph.engine.types import SourceDocument

from .paths import FIXTURES, INTEGRAS, PRECEDENTES, shared_file

SUBSET_PROCESSOS = (FIXTURES / "processos_subset_latin1.csv").read_bytes()


def _sample() -> list[SourceDocument]:
    result = parse_precedentes(
        (PRECEDENTES / "temas.csv").read_bytes(),
        (PRECEDENTES / "processos.csv").read_bytes(),
        source_name="temas.csv",
    )
    assert result.ok and result.encoding == "iso-8859-1"
    assert not result.skipped
    return result.documents


def _fixture(name: str) -> ParseResult:
    return parse_precedentes((FIXTURES / name).read_bytes(), SUBSET_PROCESSOS, source_name=name)


def test_keys() -> None:
    assert tema_key("Tema", 1076) == "tema:1076"
    assert tema_key("Controvérsia", 75) == "tema:controversia_75"
    assert tema_key("IAC", 14) == "tema:iac_14"


def test_tema_1076_and_its_leading_case() -> None:
    doc = next(d for d in _sample() if d.key == "tema:1076")
    assert doc.kind == "tema" and doc.title == "Tema 1076/STJ — CORTE ESPECIAL"
    meta = doc.meta
    assert (meta.processo, meta.classe, meta.numero_registro) == ("REsp 1850512", "REsp", "201903526617")
    assert meta.relator == "OG FERNANDES" and meta.orgao_julgador == "CORTE ESPECIAL"
    assert meta.temas == (1076,) and meta.tipo == "TEMA"
    assert (meta.data_decisao, meta.data_publicacao) == (date(2022, 3, 16), date(2022, 5, 31))
    assert [p["Processo"] for p in doc.fields["processos"]] == [
        "REsp 1850512",
        "REsp 1877883",
        "REsp 1906618",
        "REsp 1906623",
    ]
    assert doc.fields["orgaoJulgador"] == "CE" and doc.fields["dataJulgamento"] == "2022-03-16"
    assert doc.fields["teseFirmada"].startswith("i) A fixação dos honorários por apreciação equitativa")
    assert (
        "Questão submetida a julgamento:\nDefinição do alcance da norma inserta no § 8º do artigo 85"
        in doc.text
    )
    assert "Situação: Sobrestado." in doc.text
    assert "Leading case: REsp 1850512 (relator OG FERNANDES)." in doc.text


def test_sample_joins_every_processo_row() -> None:
    docs = _sample()
    assert len(docs) == 601
    assert sum(len(d.fields["processos"]) for d in docs) == 1143
    assert sum(1 for d in docs if d.meta.tipo == "TEMA") == 600


def test_a_leading_case_is_in_the_integras_sample() -> None:
    tema = next(d for d in _sample() if d.key == "tema:1172")
    assert tema.meta.processo == "REsp 2003716" and tema.meta.orgao_julgador == "TERCEIRA SEÇÃO"
    integras = parse_integra_metadata((INTEGRAS / "metadados20230515.json").read_bytes(), source_name="x")
    [decision] = [d for d in integras.documents if d.meta.numero_registro == tema.meta.numero_registro]
    assert decision.meta.processo == tema.meta.processo
    controversia = next(d for d in _sample() if d.key == "tema:controversia_442")
    assert controversia.meta.temas == () and controversia.meta.processo is None


def test_full_files() -> None:
    temas = shared_file("precedentes/temas.csv").read_bytes()
    processos = shared_file("precedentes/processos.csv").read_bytes()
    result = parse_precedentes(temas, processos, source_name="temas.csv")
    assert len(result.documents) == 1847  # 1,872 rows, 25 repeated for another repercussão geral
    assert sorted(s.record_id or "" for s in result.skipped) == ["Tema 559", "Tema 597", "Tema 884"]
    controversia = next(d for d in result.documents if d.key == "tema:controversia_75")
    assert [r["numero"] for r in controversia.fields["repercussoesGerais"]] == ["284", "285", "587"]
    assert controversia.meta.orgao_julgador == "SEGUNDA SEÇÃO"


def test_utf8_bytes_where_latin1_is_declared() -> None:
    reference = _fixture("temas_subset_latin1.csv")
    result = _fixture("temas_subset_utf8.csv")
    assert reference.ok and result.encoding == "utf-8"
    [error] = result.errors
    assert error.code == "encoding" and "UTF-8" in error.message
    assert [d.text for d in result.documents] == [d.text for d in reference.documents]
    assert [d.key for d in result.documents] == [
        "tema:950",
        "tema:1000",
        "tema:1076",
        "tema:1172",
        "tema:1220",
    ]


def test_mixed_encodings_are_decoded_line_by_line() -> None:
    reference = _fixture("temas_subset_latin1.csv")
    result = _fixture("temas_subset_mixed.csv")
    assert result.encoding == "mixed" and [e.code for e in result.errors] == ["encoding"]
    assert [d.fields for d in result.documents] == [d.fields for d in reference.documents]


def test_invalid_bytes_are_reported_and_records_recovered() -> None:
    reference = _fixture("temas_subset_latin1.csv")
    result = _fixture("temas_subset_invalid_bytes.csv")
    [error] = result.errors
    assert error.code == "undecodable" and "line(s) 10" in error.message
    assert [d.key for d in result.documents] == [d.key for d in reference.documents]
    broken = [d for d in result.documents if any("\ufffd" in str(v) for v in d.fields.values())]
    assert [d.key for d in broken] == ["tema:1172"]
    intact = [d.fields for d in result.documents if d.key != "tema:1172"]
    assert intact == [d.fields for d in reference.documents if d.key != "tema:1172"]


def test_bad_rows_and_missing_columns() -> None:
    text = (FIXTURES / "temas_subset_latin1.csv").read_bytes()
    header, _, rest = text.partition(b"\r\n")
    broken = header + b'\r\n"1";"Tema"\r\n' + rest
    result = parse_precedentes(broken, None, source_name="t")
    assert len(result.documents) == 5
    assert result.skipped[0].reason.startswith("temas.csv: 2 columns, expected 22")
    missing = parse_precedentes(b'"a";"b"\r\n"1";"2"\r\n', None, source_name="t")
    assert missing.documents == [] and missing.errors[0].code == "missing_columns"

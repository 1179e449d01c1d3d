"""Íntegras: daily metadata files, the 2021 layout, full texts from the daily ZIP."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from datetime import date

from jurisgraph.engine.stj import attach_integra_texts, parse_integra_metadata
from jurisgraph.engine.stj.integras import split_assuntos

from .paths import FIXTURES, INTEGRAS, shared_file

JAN_04 = INTEGRAS / "metadados20230104.json"
MAY_15 = INTEGRAS / "metadados20230515.json"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_metadados20230104_yields_every_record() -> None:
    raw = json.loads(JAN_04.read_text("utf-8"))
    result = parse_integra_metadata(JAN_04.read_bytes(), source_name=JAN_04.name)
    assert result.ok and not result.skipped
    assert len(result.documents) == len(raw) == 12
    assert [d.key for d in result.documents] == [f"integra:{r['seqDocumento']}" for r in raw]
    # 2023-01-04T02:00Z: the portal's "midnight" under abolished daylight saving time
    assert {d.meta.data_publicacao for d in result.documents} == {date(2023, 1, 4)}


def test_first_record_of_metadados20230104() -> None:
    doc = parse_integra_metadata(JAN_04.read_bytes(), source_name=JAN_04.name).documents[0]
    assert doc.key == "integra:92405171" and doc.kind == "integra"
    assert (doc.meta.processo, doc.meta.classe) == ("REsp 1459915", "REsp")
    assert doc.meta.relator == "RAUL ARAÚJO" and doc.meta.tipo == "DECISÃO"
    assert doc.meta.numero_registro == "201401431505"
    assert doc.fields["dataRecebimento"] == "2014-06-16"
    assert doc.fields["dataDistribuicao"] == "2014-07-07"
    assert doc.fields["assuntos"] == ["10437", "10443"]
    assert doc.title == "REsp 1.459.915 — DECISÃO — RAUL ARAÚJO"
    assert doc.text == (
        "Decisão no REsp 1459915, publicada em 04/01/2023. Ministro: RAUL ARAÚJO. Teor: Concedendo. "
        "Decisão: Conhecido o recurso e provido."
    )


def test_metadados20230515_folds_repeated_seq_documento() -> None:
    raw = json.loads(MAY_15.read_text("utf-8"))
    result = parse_integra_metadata(MAY_15.read_bytes(), source_name=MAY_15.name)
    distinct = {r["seqDocumento"] for r in raw}
    assert len(raw) == 2184 and len(result.documents) == len(distinct) == 2173
    assert len(result.skipped) == len(raw) - len(distinct)
    assert {d.meta.data_publicacao for d in result.documents} == {date(2023, 5, 15)}
    types = Counter(d.meta.tipo for d in result.documents)
    assert set(types) == {"ACÓRDÃO", "DECISÃO"}


def test_repeated_record_with_two_outcomes_keeps_both() -> None:
    path = shared_file("integras/metadados20240110.json")
    result = parse_integra_metadata(path.read_bytes(), source_name=path.name)
    assert len(result.documents) == 1086
    doc = next(d for d in result.documents if d.key == "integra:223607440")
    assert doc.fields["teor"] == "Negando; Não Conhecendo"
    assert {d.meta.data_publicacao for d in result.documents} == {date(2024, 1, 10)}


def test_2021_layout_is_normalised() -> None:
    result = parse_integra_metadata(
        (FIXTURES / "metadados_2021_layout.json").read_bytes(), source_name="2021"
    )
    expected = parse_integra_metadata(JAN_04.read_bytes(), source_name="2021").documents[:3]
    assert [d.key for d in result.documents] == [d.key for d in expected]
    for got, want in zip(result.documents, expected, strict=True):
        assert got.fields == want.fields
        assert got.meta.relator == want.meta.relator


def test_assuntos_become_unique_codes() -> None:
    assert split_assuntos("6060;6060;5994") == ["6060", "5994"]
    assert split_assuntos(None) == []


def test_records_without_seq_documento_are_skipped() -> None:
    records = json.loads(JAN_04.read_text("utf-8"))[:2]
    records[0]["seqDocumento"] = None
    result = parse_integra_metadata(json.dumps(records).encode(), source_name="x")
    assert len(result.documents) == 1
    assert result.skipped[0].reason == "missing or non-numeric seqDocumento"


def test_full_texts_are_attached_with_their_encoding() -> None:
    docs = parse_integra_metadata(JAN_04.read_bytes(), source_name=JAN_04.name).documents
    first, second = docs[0].key.split(":")[1], docs[1].key.split(":")[1]
    texto = "RECURSO ESPECIAL Nº 1.459.915 - SP\r\nDECISÃO\r\nTrata-se de recurso especial."
    archive = _zip(
        {
            f"{first}.txt": texto.encode("utf-8"),
            f"{second}.txt": texto.encode("cp1252"),
            "999.txt": b"sem metadados",
        }
    )
    result = attach_integra_texts(docs, archive)
    assert result.documents[0].text == texto.replace("\r\n", "\n")
    assert result.documents[1].text == texto.replace("\r\n", "\n")
    assert result.encodings == {first: "utf-8", second: "cp1252", "999": "utf-8"}
    assert result.documents[0].meta.extra["full_text"] is True
    assert result.documents[2] is docs[2]
    assert len(result.missing) == 10 and result.unmatched == ["999"]
    assert not result.errors


def test_zip_limits_stop_a_zip_bomb() -> None:
    docs = parse_integra_metadata(JAN_04.read_bytes(), source_name=JAN_04.name).documents
    seqs = [d.key.split(":")[1] for d in docs]
    archive = _zip({f"{seq}.txt": b"\x00" * 600_000 for seq in seqs[:3]})
    assert len(archive) < 10_000
    result = attach_integra_texts(docs, archive, max_total_bytes=1_000_000)
    assert [e.code for e in result.errors] == ["too_large"]
    assert result.documents[0].meta.extra["full_text"] is True
    limited = attach_integra_texts(docs, archive, max_entry_bytes=100_000)
    assert len(limited.skipped) == 3 and not limited.encodings


def test_not_a_zip() -> None:
    docs = parse_integra_metadata(JAN_04.read_bytes(), source_name=JAN_04.name).documents
    result = attach_integra_texts(docs, b"not a zip")
    assert [e.code for e in result.errors] == ["bad_zip"]
    assert result.documents == docs

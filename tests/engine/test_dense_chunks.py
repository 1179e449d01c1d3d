"""Which chunks get a dense vector: every document but an íntegra without its full text."""

from __future__ import annotations

from jurisgraph.engine.dense_chunks import FULL_TEXT_FLAG, SPARSE_ONLY_KIND, wants_dense
from jurisgraph.engine.stj.integras import build_integra, normalise_metadata

METADATA_NAME = "metadados20220901.json"
RECORD = {
    "seqDocumento": 163410022,
    "dataPublicacao": 1662001200000,
    "tipoDocumento": "DECISÃO",
    "numeroRegistro": "202103427345",
    "processo": "REsp 2005877    ",
    "ministro": "NANCY ANDRIGHI",
    "teor": "Negando",
    "descricaoMonocratica": "Não conhecido o recurso\r\n",
    "assuntos": "6060;6060;5994",
}


def metadata_of(doc_extra: dict[str, object]) -> dict[str, object]:
    """What the documents row stores as metadata (record_rows adds tipo and temas)."""
    return {"tipo": "DECISÃO", "temas": [], **doc_extra}


def test_an_integra_of_metadata_only_is_sparse_only() -> None:
    doc = build_integra(normalise_metadata(RECORD), source_name=METADATA_NAME, source_url=None)
    assert doc.kind == SPARSE_ONLY_KIND
    assert doc.text.startswith("Decisão no REsp 2005877")  # one line of structured fields
    assert not wants_dense(doc.kind, metadata_of(dict(doc.meta.extra)))
    assert not wants_dense(doc.kind, {})
    assert not wants_dense(doc.kind, None)
    assert not wants_dense(doc.kind, {FULL_TEXT_FLAG: False})


def test_an_integra_with_its_full_text_and_every_other_kind_get_dense_vectors() -> None:
    doc = build_integra(normalise_metadata(RECORD), source_name=METADATA_NAME, source_url=None, text="Texto.")
    assert wants_dense(doc.kind, {**metadata_of(dict(doc.meta.extra)), FULL_TEXT_FLAG: True})
    for kind in ("espelho", "tema", "upload", "sumula"):
        assert wants_dense(kind, None)
        assert wants_dense(kind, {FULL_TEXT_FLAG: False})

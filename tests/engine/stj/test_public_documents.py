"""Portal resources that are documents: one ``public_document`` with the extracted text, its
pages in the metadata, a key stable per resource, and refusals raised with their reason."""

from __future__ import annotations

from datetime import date

import pytest

from jurisgraph.engine.documents import PageSpan, page_of
from jurisgraph.engine.extract import extract_document
from jurisgraph.engine.stj import ResourceKind, parse_resource
from jurisgraph.engine.stj.public_documents import document_key, parse_public_document
from jurisgraph.errors import DocumentRejected
from tests.fixtures import documents as docs

URL = "https://dadosabertos.web.stj.jus.br/dataset/atas/resource/1/download/ata-20240105.pdf"


def test_a_pdf_resource_becomes_one_document_with_its_pages() -> None:
    result = parse_resource(
        ResourceKind.PUBLIC_DOCUMENT, docs.brief_pdf(), source_name="ata-20240105.pdf", source_url=URL
    )

    assert result.ok and len(result.documents) == 1
    doc = result.documents[0]
    assert doc.kind == "public_document"
    assert doc.key == document_key("ata-20240105.pdf", URL)
    assert doc.title == "ata-20240105.pdf"
    assert doc.meta.source_url == URL
    assert doc.meta.data_publicacao == date(2024, 1, 5)
    extra = doc.meta.extra
    assert extra["format"] == "pdf" and extra["page_count"] == 3
    pages = tuple(PageSpan(**p) for p in extra["pages"])
    assert doc.text[pages[1].start : pages[1].end].split("\n") == list(docs.PAGE_TWO)
    assert page_of(pages, doc.text.index("art. 85 do CPC")) == 2


def test_the_key_is_stable_per_resource_whatever_the_content() -> None:
    first = parse_public_document(docs.brief_pdf(), source_name="ata.pdf", source_url=URL)
    second = parse_public_document(docs.utf8_text(), source_name="ata.pdf", source_url=URL)
    other = parse_public_document(docs.brief_pdf(), source_name="ata.pdf", source_url=URL + "?v=2")

    assert first.documents[0].key == second.documents[0].key != other.documents[0].key


def test_the_text_rules_find_the_citations_of_a_public_document() -> None:
    doc = parse_public_document(docs.brief_docx(), source_name="nota.docx").documents[0]

    keys = {e.key for e in extract_document(doc).entities}

    assert {"processo:resp_1465535", "sumula:stj_7"} <= keys


@pytest.mark.parametrize(
    ("data", "reason"),
    [(docs.image_only_pdf(), "no_text_layer"), (docs.encrypted_pdf(), "encrypted"), (b"", "empty")],
)
def test_a_document_that_cannot_be_read_is_refused_with_its_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DocumentRejected) as caught:
        parse_resource(ResourceKind.PUBLIC_DOCUMENT, data, source_name="ata.pdf")

    assert caught.value.reason == reason


def test_html_and_docx_resources_are_read_too() -> None:
    html = parse_public_document(docs.html_page(), source_name="noticia.html").documents[0]
    word = parse_public_document(docs.brief_docx(), source_name="nota.docx").documents[0]

    assert html.meta.extra["format"] == "html" and "segredo" not in html.text
    assert word.meta.extra["format"] == "docx" and "Quarta Turma" in word.text

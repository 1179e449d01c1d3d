"""Extraction of PDF, DOCX, TXT and HTML built by the tests, and every refusal with its reason."""

from __future__ import annotations

import io
import zipfile

import pytest

from jurisgraph.engine.documents import (
    DocumentRejected,
    ExtractLimits,
    PageSpan,
    detect_kind,
    extract,
    page_of,
)
from tests.fixtures import documents as docs

LIMITS = ExtractLimits(max_bytes=5 * 1024 * 1024, max_pages=50, max_docx_uncompressed=20 * 1024 * 1024)


def _rejected(data: bytes, limits: ExtractLimits = LIMITS) -> DocumentRejected:
    with pytest.raises(DocumentRejected) as caught:
        extract(data, limits)
    return caught.value


def test_pdf_pages_slice_back_to_each_page_text_with_accents() -> None:
    result = extract(docs.brief_pdf(), LIMITS)

    assert result.kind == "pdf"
    assert result.encoding is None
    assert [p.number for p in result.pages] == [1, 2, 3]
    for span, lines in zip(result.pages, docs.BRIEF_PAGES, strict=True):
        assert result.text[span.start : span.end].split("\n") == list(lines)
    assert result.page_text(2).startswith("DOS HONORÁRIOS ADVOCATÍCIOS")
    # the pages are joined by a blank line, in order
    assert result.text[result.pages[0].end : result.pages[1].start] == "\n\n"


def test_page_of_maps_offsets_to_pages() -> None:
    result = extract(docs.brief_pdf(), LIMITS)
    sumula = result.text.index("Súmula 7/STJ")
    resp = result.text.index("REsp 1.465.535/SP")
    pedidos = result.text.index("DOS PEDIDOS")

    assert page_of(result.pages, resp) == 1
    assert page_of(result.pages, sumula) == 2
    assert page_of(result.pages, pedidos) == 3
    assert page_of(result.pages, result.pages[0].end) == 1  # the separator belongs to the page before
    assert page_of(result.pages, len(result.text) + 10) == 3
    assert page_of((), 5) == 1
    assert page_of((PageSpan(1, 0, 4), PageSpan(2, 6, 9)), 0) == 1


def test_pdf_over_the_page_limit_is_refused() -> None:
    limits = ExtractLimits(LIMITS.max_bytes, max_pages=2, max_docx_uncompressed=LIMITS.max_docx_uncompressed)
    error = _rejected(docs.brief_pdf(), limits)

    assert error.reason == "too_many_pages"
    assert "3 pages" in error.message


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (docs.encrypted_pdf, "encrypted"),
        (docs.image_only_pdf, "no_text_layer"),
        (docs.corrupt_pdf, "corrupt"),
    ],
)
def test_bad_pdfs_are_refused_with_their_reason(build: object, reason: str) -> None:
    assert callable(build)
    error = _rejected(build())

    assert error.reason == reason
    assert error.code == f"document_{reason}"
    assert error.status_code == 422


def test_image_only_pdf_says_ocr_is_not_available() -> None:
    assert _rejected(docs.image_only_pdf()).message == "no text layer; OCR is not available"


def test_truncated_pdf_is_corrupt_or_read_never_a_crash() -> None:
    data = docs.brief_pdf()
    try:
        result = extract(data[: len(data) // 3], LIMITS)
    except DocumentRejected as error:
        assert error.reason in {"corrupt", "no_text_layer"}
    else:
        assert result.kind == "pdf"


def test_docx_keeps_paragraphs_and_tables_in_body_order() -> None:
    result = extract(docs.brief_docx(), LIMITS)
    lines = result.text.split("\n")

    assert result.kind == "docx"
    assert result.pages == (PageSpan(1, 0, len(result.text)),)
    table_row = "REsp 1.465.535/SP | Quarta Turma | Responsabilidade objetiva do banco"
    assert lines.index(docs.PAGE_ONE[-1]) < lines.index("Processo | Órgão julgador | Tese")
    assert lines.index("Processo | Órgão julgador | Tese") + 1 == lines.index(table_row)
    assert lines.index(table_row) < lines.index(docs.PAGE_TWO[0])
    assert "Súmula 7/STJ" in result.text


def test_zip_bomb_docx_is_refused_before_it_is_opened() -> None:
    error = _rejected(docs.zip_bomb_docx(48))

    assert error.reason == "zip_bomb"


def test_docx_over_the_uncompressed_total_is_a_zip_bomb_even_at_a_plain_ratio() -> None:
    data = docs.brief_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    limits = ExtractLimits(LIMITS.max_bytes, LIMITS.max_pages, max_docx_uncompressed=total - 1)

    assert _rejected(data, limits).reason == "zip_bomb"
    assert extract(data, ExtractLimits(LIMITS.max_bytes, LIMITS.max_pages, total)).kind == "docx"


def test_pdf_named_docx_is_read_as_the_pdf_it_is() -> None:
    # the name never matters: the bytes of a PDF are a PDF whatever the upload was called
    assert detect_kind(docs.brief_pdf()) == "pdf"
    assert extract(docs.brief_pdf(), LIMITS).kind == "pdf"


def test_pdf_header_after_a_binary_prefix_is_a_pdf_but_quoted_in_text_is_not() -> None:
    assert detect_kind(b"\xff\xd0\x00junk" + docs.brief_pdf()) == "pdf"
    assert extract(b"\xff\xd0\x00junk" + docs.brief_pdf(), LIMITS).pages[2].number == 3
    assert detect_kind(b"Arquivos PDF comecam com %PDF-1.7 no cabecalho.") == "txt"


def test_zip_that_is_not_a_docx_is_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("planilha/dados.csv", "a;b\n1;2\n")

    error = _rejected(buffer.getvalue())

    assert error.reason == "unsupported_type"
    assert error.status_code == 415


def test_broken_docx_is_corrupt() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<não é xml")

    assert _rejected(buffer.getvalue()).reason == "corrupt"


@pytest.mark.parametrize("data", [docs.latin1_text(), docs.utf8_text(), docs.BRIEF_TEXT.encode("utf-8-sig")])
def test_txt_in_latin1_or_utf8_decodes_to_the_same_text(data: bytes) -> None:
    result = extract(data, LIMITS)

    assert result.kind == "txt"
    assert result.text == docs.BRIEF_TEXT
    assert result.pages == (PageSpan(1, 0, len(docs.BRIEF_TEXT)),)
    assert result.encoding in {"utf-8", "utf-8-sig", "cp1252", "latin_1", "iso8859_15"}


def test_utf8_is_tried_first() -> None:
    assert extract(docs.utf8_text(), LIMITS).encoding == "utf-8"
    assert extract(docs.latin1_text(), LIMITS).encoding != "utf-8"


def test_windows_line_ends_and_control_characters_are_normalised() -> None:
    result = extract("Ação\r\ncivil\x0b pública\r\n\r\n\r\n\r\nfim  \n".encode(), LIMITS)

    assert result.text == "Ação\ncivil pública\n\nfim"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t  \r\n", "empty"),
        (b"texto\x00com\x00nulos" * 10, "unsupported_type"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "unsupported_type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(300), "unsupported_type"),
    ],
)
def test_empty_and_binary_inputs_are_refused(data: bytes, reason: str) -> None:
    assert _rejected(data).reason == reason


def test_nul_bytes_after_the_first_kilobyte_are_binary_text() -> None:
    data = b"texto comum " * 200 + b"\x00\x01\x02"

    assert _rejected(data).reason == "binary_text"


def test_over_max_bytes_is_too_large_before_anything_else() -> None:
    limits = ExtractLimits(max_bytes=100, max_pages=10, max_docx_uncompressed=1000)
    error = _rejected(docs.brief_pdf(), limits)

    assert error.reason == "too_large"
    assert error.status_code == 413
    assert extract(b"x" * 100, limits).text == "x" * 100


def test_html_keeps_visible_text_only() -> None:
    result = extract(docs.html_page(), LIMITS)

    assert result.kind == "html"
    assert result.encoding == "utf-8"
    assert "Decisão da Primeira Turma" in result.text
    assert "O colegiado aplicou a Súmula 7/STJ e o art. 85 do CPC ao caso." in result.text.split("\n")
    assert "REsp 1.465.535/SP | Min. Luis Felipe Salomão" in result.text.split("\n")
    for hidden in ("segredo", "color: red", "Menu do portal", "Rodapé", "Notícia"):
        assert hidden not in result.text


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf  \n<!doctype html><p>oi</p>",
        b"<html><body>oi</body></html>",
        b"\n\n   <p>oi</p>",
        b"<!-- gerado --><div>oi</div>",
        "<!DOCTYPE html><p>oi</p>".encode("utf-16"),
    ],
)
def test_html_is_detected_after_bom_white_space_and_comments(data: bytes) -> None:
    assert detect_kind(data) == "html"
    assert extract(data, LIMITS).text == "oi"


def test_text_that_mentions_tags_later_is_still_text() -> None:
    assert detect_kind(b"O artigo cita <b> no meio do texto") == "txt"


def test_html_with_only_script_is_empty() -> None:
    assert _rejected(b"<html><head><script>x()</script></head><body></body></html>").reason == "empty"


def test_pdfs_extracted_from_many_threads_at_once_give_the_serial_result() -> None:
    # PDFium is not thread-safe: without the extractor's lock this crashes the interpreter
    from concurrent.futures import ThreadPoolExecutor

    inputs = [docs.brief_pdf(), docs.pdf_bytes([["Página única com acentuação: ação, órgão, súmula."]])] * 32
    serial = [extract(data, LIMITS) for data in inputs]

    for _ in range(3):
        with ThreadPoolExecutor(max_workers=8) as pool:
            parallel = list(pool.map(lambda data: extract(data, LIMITS), inputs))
        assert parallel == serial

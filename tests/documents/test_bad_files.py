"""Every refused upload gets its clear error (problem shape) and leaves nothing behind: no row, no
stored object, no vector point; a refused file refuses the whole upload, good files included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.auth.cookies import CSRF_COOKIE, CSRF_FIELD
from tests.documents.helpers import BRIEF_PAGES, brief_pdf, snapshot, upload
from tests.fixtures import documents as made
from tests.fixtures.accounts import PASSWORD, bearer, container_of, error_code
from tests.fixtures.homes import make_settings

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MB = 1024 * 1024
ONE_PAGE = made.pdf_bytes([BRIEF_PAGES[1]])


@pytest.fixture
def api(tmp_path: Path) -> Iterator[TestClient]:
    """A fresh app: uploads up to 1 MB and 2 pages, DOCX inflating up to 16 MB."""
    settings = make_settings(
        tmp_path / "home",
        JURISGRAPH_STORAGE_MAX_UPLOAD_MB="1",
        JURISGRAPH_STORAGE_MAX_DECOMPRESSED_MB="16",
        JURISGRAPH_STORAGE_MAX_PAGES="2",
        JURISGRAPH_LLM_PROVIDER="none",
    )
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings)) as client:
        yield client


BAD = {
    "corrupt": (("peça.pdf", made.corrupt_pdf(), PDF), 422, "document_corrupt"),
    "encrypted": (("peça.pdf", made.encrypted_pdf(), PDF), 422, "document_encrypted"),
    "image only": (("digitalizada.pdf", made.image_only_pdf(), PDF), 422, "document_no_text_layer"),
    "zip bomb": (("bomba.docx", made.zip_bomb_docx(32), DOCX), 422, "document_zip_bomb"),
    "empty": (("vazio.txt", b"", "text/plain"), 422, "document_empty"),
    "pdf named docx": (("peça.docx", ONE_PAGE, DOCX), 415, "document_type_mismatch"),
    "too many pages": (("três páginas.pdf", brief_pdf(), PDF), 422, "document_too_many_pages"),
    "over the limit": (("grande.txt", b"a" * (MB + 1), "text/plain"), 413, "document_too_large"),
    "not a document": (
        ("foto.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "image/png"),
        415,
        "document_unsupported_type",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_refused_with_its_error_and_nothing_is_stored(api: TestClient, case: str) -> None:
    container = container_of(api)
    headers = bearer(container, "a@example.org", role="user")
    before = snapshot(container)
    bad, status, code = BAD[case]
    # with a good file alongside: the whole upload is refused
    reply = upload(api, headers, ("bom.pdf", ONE_PAGE, PDF), bad)
    assert reply.status_code == status, reply.text
    assert error_code(reply) == code
    assert bad[0] in reply.json()["detail"]
    assert snapshot(container) == before
    assert api.get("/api/v1/documents", headers=headers).json() == []


def test_the_storage_quota_refuses_an_upload_beyond_it(api: TestClient) -> None:
    container = container_of(api)
    headers = bearer(container, "a@example.org", role="user")
    before = snapshot(container)
    container.settings.storage.quota_mb = 0
    reply = upload(api, headers, ("peça.pdf", ONE_PAGE, PDF))
    assert reply.status_code == 413 and error_code(reply) == "quota_exceeded"
    assert snapshot(container) == before


def test_a_database_failure_after_storing_removes_the_stored_file(
    api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jurisgraph.documents import repository

    container = container_of(api)
    headers = bearer(container, "a@example.org", role="user")
    before = snapshot(container)

    def failing(session: object, document: object) -> object:
        raise RuntimeError("database down")

    monkeypatch.setattr(repository, "add", failing)
    reply = upload(api, headers, ("peça.pdf", ONE_PAGE, PDF))
    assert reply.status_code == 500
    assert snapshot(container) == before


def test_requests_that_are_not_uploads_are_refused(api: TestClient) -> None:
    headers = bearer(container_of(api), "a@example.org", role="user")
    assert error_code(api.post("/api/v1/documents", json={"files": []}, headers=headers)) == "not_multipart"
    assert error_code(api.post("/api/v1/documents", files={"x": (None, "y")}, headers=headers)) == "no_file"
    assert (
        api.post("/api/v1/documents", files=[("files", ("a.txt", b"texto", "text/plain"))]).status_code == 401
    )


def test_a_cookie_session_may_send_its_csrf_token_as_a_form_field(api: TestClient) -> None:
    container = container_of(api)
    bearer(container, "a@example.org", role="user")
    signed = api.post("/api/v1/auth/login", json={"email": "a@example.org", "password": PASSWORD})
    assert signed.status_code == 200, signed.text
    token = api.cookies.get(CSRF_COOKIE)
    assert token
    refused = api.post("/api/v1/documents", files=[("files", ("a.txt", b"", "text/plain"))], data={})
    assert refused.status_code == 403
    big = api.post(
        "/api/v1/documents",
        files=[("files", ("grande.txt", b"a" * (MB + 1), "text/plain"))],
        data={CSRF_FIELD: token},
    )
    assert big.status_code == 413 and error_code(big) == "document_too_large"
    empty = api.post(
        "/api/v1/documents", files=[("files", ("vazio.txt", b"", "text/plain"))], data={CSRF_FIELD: token}
    )
    assert empty.status_code == 422 and error_code(empty) == "document_empty"

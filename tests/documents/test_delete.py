"""Deleting an uploaded document leaves the database, the object store and the vector index as if
it had never been uploaded (local folder and S3), and a file another document shares stays."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from jurisgraph.app import create_app
from tests.documents.helpers import brief_pdf, processed, snapshot, upload
from tests.fixtures import documents as made
from tests.fixtures.accounts import bearer, container_of
from tests.fixtures.s3 import S3Bucket
from tests.fixtures.sample import Sample

PDF = "application/pdf"


def test_delete_leaves_everything_as_never_uploaded(docs: Sample, docs_api: TestClient) -> None:
    _upload_then_delete(docs_api)


def test_delete_on_s3_leaves_everything_as_never_uploaded(
    docs: Sample, s3_bucket: S3Bucket, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = docs.settings.storage
    for name, value in {
        "backend": "s3",
        "s3_bucket": s3_bucket.name,
        "s3_endpoint_url": s3_bucket.server.endpoint_url,
        "s3_access_key_id": SecretStr(s3_bucket.server.access_key_id),
        "s3_secret_access_key": SecretStr(s3_bucket.server.secret_access_key),
    }.items():
        monkeypatch.setattr(storage, name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", s3_bucket.server.region)
    app = create_app(docs.settings)
    with TestClient(app) as client:
        own = app.state.container
        app.state.container = docs.container
        try:
            assert type(docs.container.storage()).__name__ == "S3ObjectStore"
            _upload_then_delete(client)
        finally:
            app.state.container = own


def test_a_file_two_users_uploaded_stays_until_both_deleted_it(docs: Sample, docs_api: TestClient) -> None:
    container = container_of(docs_api)
    owners = [bearer(container, f"{who}@example.org", role="user") for who in ("a", "b")]
    documents = [
        processed(docs_api, headers, upload(docs_api, headers, ("peça.pdf", brief_pdf(), PDF)))[0]
        for headers in owners
    ]
    store = container.storage()
    [key] = list(store.keys())
    assert docs_api.delete(f"/api/v1/documents/{documents[0]['id']}", headers=owners[0]).status_code == 204
    assert store.exists(key)
    page = docs_api.get(f"/documentos/{documents[1]['id']}?pagina=2", headers=owners[1])
    assert page.status_code == 200 and "conversão em renda" in page.text
    assert docs_api.delete(f"/api/v1/documents/{documents[1]['id']}", headers=owners[1]).status_code == 204
    assert not store.exists(key)


def _upload_then_delete(docs_api: TestClient) -> None:
    container = container_of(docs_api)
    headers = bearer(container, "a@example.org", role="user")
    never = snapshot(container)
    reply = upload(docs_api, headers, ("peça.pdf", brief_pdf(), PDF), ("memorial.pdf", made.brief_pdf(), PDF))
    documents = processed(docs_api, headers, reply)
    assert [d["status"] for d in documents] == ["embedded", "embedded"]
    uploaded = snapshot(container)
    assert uploaded != never
    for document in documents:
        assert docs_api.delete(f"/api/v1/documents/{document['id']}", headers=headers).status_code == 204
        assert docs_api.get(f"/api/v1/documents/{document['id']}", headers=headers).status_code == 404
    assert snapshot(container) == never

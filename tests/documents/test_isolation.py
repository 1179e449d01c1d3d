"""User A's documents, chunks, entities and answers never reach user B or an anonymous caller,
through the service layer and through HTTP; admins see every document."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jurisgraph.auth import service as auth
from jurisgraph.db import session_scope
from jurisgraph.documents import service
from jurisgraph.errors import NotFound
from jurisgraph.search import service as search
from jurisgraph.workspaces.service import readable_workspaces
from tests.documents.helpers import processed, upload
from tests.fixtures import documents as made
from tests.fixtures.accounts import bearer, container_of
from tests.fixtures.sample import Sample

SECRET = "cláusula sigilosa Ômega sobre a cessão fiduciária de recebíveis"
PAGES = (
    ("PARECER RESERVADO", f"A {SECRET} foi examinada à luz do REsp 1.679.185/RS."),
    ("CONCLUSÃO", "Opina-se pela validade da garantia e pela conversão em renda dos depósitos."),
)


def test_a_users_document_reaches_only_its_owner_and_admins(docs: Sample, docs_api: TestClient) -> None:
    container = container_of(docs_api)
    callers = {
        "a": bearer(container, "a@example.org", role="user"),
        "b": bearer(container, "b@example.org", role="user"),
        "admin": bearer(container, "root@example.org", role="admin"),
        "anonymous": {},
    }
    pdf = made.pdf_bytes(PAGES)
    [document] = processed(
        docs_api, callers["a"], upload(docs_api, callers["a"], ("parecer.pdf", pdf, "application/pdf"))
    )
    assert document["status"] == "embedded"
    doc_id = document["id"]
    ask_body = {"question": f"O que diz a {SECRET}?"}
    for who, headers in callers.items():
        owner, admin = who == "a", who == "admin"
        listed = docs_api.get("/api/v1/documents", headers=headers)
        every = docs_api.get("/api/v1/documents", params={"every": "true"}, headers=headers)
        one = docs_api.get(f"/api/v1/documents/{doc_id}", headers=headers)
        page = docs_api.get(
            f"/documentos/{doc_id}", params={"pagina": 1}, headers=headers, follow_redirects=False
        )
        found = docs_api.get("/api/v1/search", params={"q": SECRET}, headers=headers)
        answer = docs_api.post("/api/v1/ask", json=ask_body, headers=headers)
        passage = docs_api.get(
            "/api/v1/passages",
            params={"document": f"upload:{_key(container, doc_id)}", "start": 0, "end": 40},
            headers=headers,
        )
        if who == "anonymous":
            assert listed.status_code == one.status_code == 401
            assert page.status_code in (302, 303, 307)
        else:
            assert listed.status_code == 200
            assert [d["id"] for d in listed.json()] == ([doc_id] if owner else [])
            assert [d["id"] for d in every.json()] == ([doc_id] if owner or admin else [])
            assert one.status_code == (200 if owner or admin else 404), who
            assert page.status_code == (200 if owner or admin else 404), who
            assert (SECRET in page.text) == (owner or admin)
        assert passage.status_code == (200 if owner or admin else 404), who
        assert found.status_code == 200 and answer.status_code == 200
        reads = owner or admin
        passages = found.json()["passages"]
        assert any(SECRET in p["text"] for p in passages) == reads, who
        assert any(p["document_key"].startswith("upload:") for p in passages) == reads, who
        replied = answer.json()
        cited = [c["text"] for c in replied["citations"]] + [replied["answer"]]
        assert any(SECRET in t for t in cited) == reads, who
    for who in ("b", "anonymous"):
        headers = callers[who]
        assert docs_api.post(f"/api/v1/documents/{doc_id}/reprocess", headers=headers).status_code in (
            401,
            404,
        )
        assert docs_api.delete(f"/api/v1/documents/{doc_id}", headers=headers).status_code in (401, 404)
    assert docs_api.get(f"/api/v1/documents/{doc_id}", headers=callers["a"]).json()["status"] == "embedded"


def test_the_service_layer_keeps_documents_to_their_owner(docs: Sample, docs_api: TestClient) -> None:
    container = container_of(docs_api)
    headers = bearer(container, "a@example.org", role="user")
    bearer(container, "b@example.org", role="user")
    pdf = made.pdf_bytes(PAGES)
    [document] = processed(
        docs_api, headers, upload(docs_api, headers, ("parecer.pdf", pdf, "application/pdf"))
    )
    with session_scope(container.sessions) as session:
        a = auth.principal_of(auth.user_by_email(session, "a@example.org"), "api_key")
        b = auth.principal_of(auth.user_by_email(session, "b@example.org"), "api_key")
        assert service.owned(session, a, document["id"]).id == document["id"]
        with pytest.raises(NotFound):
            service.owned(session, b, document["id"])
        assert service.listing(session, b, limit=10, offset=0) == ([], 0)
        b_reads = readable_workspaces(session, user_id=b.user_id)
        a_reads = readable_workspaces(session, user_id=a.user_id)
    for reads, sees in ((a_reads, True), (b_reads, False)):
        passages = search.search(container.retrieval(), SECRET, reads, k=20)
        assert any(p.document_key.startswith("upload:") for p in passages) == sees


def _key(container: object, document_id: int) -> str:
    with session_scope(container.sessions) as session:  # type: ignore[attr-defined]
        row = service.any_document(session, document_id)
        return row.key.removeprefix("upload:")

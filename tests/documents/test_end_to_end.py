"""A brief uploaded as PDF and as DOCX goes through the whole pipeline into the uploader's private
workspace: found by search, cited to the right page, linked to the public graph by canonical key."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from jurisgraph.db import session_scope
from jurisgraph.documents import lifecycle, service
from jurisgraph.pipeline.uploads import LIFECYCLE
from tests.documents.helpers import CITING_PAGE, brief_docx, brief_pdf, processed, upload
from tests.fixtures.accounts import add_user, bearer, container_of
from tests.fixtures.sample import Sample

QUESTION = (
    "No meu recurso, o que o REsp 1.679.185 diz sobre a conversão em renda dos depósitos "
    "judiciais e quem foi o relator?"
)
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_pdf_brief_is_searchable_cited_to_its_page_and_linked_to_the_public_graph(
    docs: Sample, docs_api: TestClient
) -> None:
    container = container_of(docs_api)
    headers = bearer(container, "a@example.org", role="user")
    [document] = processed(
        docs_api, headers, upload(docs_api, headers, ("recurso especial.pdf", brief_pdf(), PDF))
    )
    assert document["status"] == "embedded", document
    assert document["progress"] == 1.0 and document["pages"] == 3 and document["chunk_count"] >= 1
    assert document["error"] is None

    found = docs_api.get(
        "/api/v1/search", params={"q": "conversão em renda dos depósitos judiciais"}, headers=headers
    ).json()["passages"]
    mine = [p for p in found if p["document_key"].startswith("upload:")]
    assert mine, found
    assert mine[0]["source_url"] == f"/documentos/{document['id']}"

    answer = docs_api.post("/api/v1/ask", json={"question": QUESTION}, headers=headers).json()
    cited = [c for c in answer["citations"] if c["document_key"].startswith("upload:")]
    assert cited, answer["citations"]
    quote = cited[0]
    assert quote["page"] == CITING_PAGE
    assert quote["page_url"] == f"/documentos/{document['id']}?pagina={CITING_PAGE}"
    # the cited span is on that page of the stored text
    page = docs_api.get(quote["page_url"], headers=headers)
    assert page.status_code == 200 and "conversão em renda dos depósitos judiciais" in page.text
    reopened = docs_api.get(
        "/api/v1/passages",
        params={"document": quote["document_key"], "start": quote["start"], "end": quote["end"]},
        headers=headers,
    ).json()
    assert reopened["text"] == quote["text"]

    # the private mention of the REsp has the public node's canonical key: the public graph answers
    # who its relator is
    assert "Gurgel de Faria" in answer["answer"] or "GURGEL DE FARIA" in answer["answer"]
    with session_scope(container.sessions) as session:
        keys = (
            session.execute(
                text(
                    "SELECT DISTINCT n.entity_id FROM graph_nodes n"
                    " JOIN workspaces w ON w.id = n.workspace_id"
                    " WHERE w.kind = 'private' AND n.entity_id LIKE 'processo:resp_1679185%'"
                )
            )
            .scalars()
            .all()
        )
    assert keys, "the brief's REsp is a private entity"
    with session_scope(container.sessions) as session:
        for key in keys:
            assert (
                session.execute(
                    text("SELECT COUNT(*) FROM graph_nodes WHERE workspace_id = :w AND entity_id = :k"),
                    {"w": docs.workspace, "k": key},
                ).scalar_one()
                == 1
            ), key
        actions = set(
            session.execute(
                text("SELECT action FROM extraction_logs WHERE document_id = :d"), {"d": document["id"]}
            ).scalars()
        )
    assert {"upload_document", "process_document"} <= actions


def test_a_docx_brief_is_processed_and_found(docs: Sample, docs_api: TestClient) -> None:
    container = container_of(docs_api)
    headers = bearer(container, "a@example.org", role="user")
    [document] = processed(docs_api, headers, upload(docs_api, headers, ("recurso.docx", brief_docx(), DOCX)))
    assert document["status"] == "embedded" and document["mime_type"] == DOCX
    found = docs_api.get(
        "/api/v1/search", params={"q": "renúncia ao direito depósitos judiciais"}, headers=headers
    ).json()["passages"]
    hits = [p for p in found if p["document_key"].startswith("upload:")]
    assert hits and hits[0]["page"] == 1


def test_processing_walks_the_lifecycle_in_order(docs: Sample) -> None:
    container = docs.container
    user_id = add_user(container, "a@example.org")
    with session_scope(container.sessions) as session:
        [row] = service.upload(
            session,
            container.storage(),
            container.settings,
            user_id=user_id,
            files=[service.IncomingFile("recurso.pdf", brief_pdf())],
        )
        document_id, workspace_id = row.id, row.workspace_id
    seen: list[str] = []

    def progress(stage: str, done: int, total: int | None, message: str) -> None:
        if stage == "document":
            seen.append(message)

    report = lifecycle.process(container, document_id, workspace_id, progress=progress)
    assert seen == list(LIFECYCLE[1:])
    assert report.status == "embedded" and report.pages == 3

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.fixtures import documents as made
from tests.fixtures.accounts import bearer, container_of
from tests.fixtures.sample import Sample

PAGES = (
    ("RECURSO ESPECIAL", "A parte recorrente interpõe recurso especial contra o acórdão do Tribunal."),
    (
        "DA RENÚNCIA AO DIREITO",
        "Conforme o REsp 1.679.185/RS, a renúncia ao direito em que se funda a ação",
        "impõe a conversão em renda dos depósitos judiciais em favor do credor.",
    ),
)


def test_explore(docs: Sample, docs_api: TestClient) -> None:
    container = container_of(docs_api)
    headers = bearer(container, "a@example.org", role="user")
    pdf = made.pdf_bytes(PAGES)
    reply = docs_api.post("/api/v1/documents", files=[("files", ("peça.pdf", pdf, "application/pdf"))], headers=headers)
    print(reply.status_code, reply.text)
    doc = reply.json()[0]
    container.jobs().wait(doc["job_id"], 60)
    got = docs_api.get(f"/api/v1/documents/{doc['id']}", headers=headers).json()
    print(got)
    found = docs_api.get("/api/v1/search", params={"q": "conversão em renda dos depósitos judiciais renúncia"}, headers=headers).json()
    print(found if not isinstance(found, dict) else found.keys())
    answer = docs_api.post("/api/v1/ask", json={"question": "No meu recurso, o que diz o REsp 1.679.185 sobre conversão em renda dos depósitos judiciais e quem foi o relator?"}, headers=headers).json()
    import json
    print(json.dumps(answer, ensure_ascii=False, indent=1)[:6000])
    assert False

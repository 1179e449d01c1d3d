"""What the documents tests share: uploading through HTTP, waiting for the job, and a snapshot of
everything an upload may leave behind (rows, stored objects, vector points)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from jurisgraph.db import session_scope
from jurisgraph.engine.vectors import CHUNK_KIND, ENTITY_KIND, REPORT_KIND
from jurisgraph.runtime import Container
from tests.fixtures import documents as made

#: tables an upload writes to (the audit tables, extraction_logs and jobs, keep their history)
CONTENT_TABLES = (
    "documents",
    "chunks",
    "mentions",
    "graph_nodes",
    "graph_edges",
    "communities",
    "embedding_cache",
    "workspaces",
)
#: a brief whose page 2 cites a process of the bundled sample (REsp 1.679.185, Rel. Gurgel de Faria)
BRIEF_PAGES = (
    (
        "RECURSO ESPECIAL",
        "A parte recorrente interpõe recurso especial contra o acórdão do Tribunal de origem,",
        "que manteve a extinção da execução fiscal sem exame das questões de direito.",
    ),
    (
        "DA RENÚNCIA AO DIREITO",
        "Conforme o REsp 1.679.185/RS, a renúncia ao direito em que se funda a ação",
        "impõe a conversão em renda dos depósitos judiciais em favor do credor.",
    ),
    (
        "DOS PEDIDOS",
        "Requer o provimento do recurso, com a condenação da parte recorrida às custas.",
    ),
)
CITING_PAGE = 2


def brief_pdf() -> bytes:
    """The brief as a three-page PDF."""
    return made.pdf_bytes(BRIEF_PAGES)


def brief_docx() -> bytes:
    """The brief as a DOCX (one page: DOCX has no page breaks to keep)."""
    return made.docx_bytes([line for page in BRIEF_PAGES for line in page])


def upload(client: TestClient, headers: dict[str, str], *files: tuple[str, bytes, str]) -> Any:
    """``POST /api/v1/documents`` with ``files`` as (name, bytes, content type)."""
    return client.post("/api/v1/documents", files=[("files", file) for file in files], headers=headers)


def processed(client: TestClient, headers: dict[str, str], reply: Any) -> list[dict[str, Any]]:
    """The uploaded documents of a 201 reply once their jobs ended, as the API shows them."""
    assert reply.status_code == 201, reply.text
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    done = []
    for document in reply.json():
        container.jobs().wait(document["job_id"], 120)
        got = client.get(f"/api/v1/documents/{document['id']}", headers=headers)
        assert got.status_code == 200
        done.append(got.json())
    return done


def snapshot(container: Container) -> dict[str, Any]:
    """Row counts of the content tables, stored object keys and vector points per collection."""
    with session_scope(container.sessions) as session:
        counts = {
            table: session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in CONTENT_TABLES
        }
        counts["graph_nodes.mention_count"] = session.execute(
            text("SELECT COALESCE(SUM(mention_count), 0) FROM graph_nodes")
        ).scalar_one()
        counts["graph_edges.weight"] = round(
            float(session.execute(text("SELECT COALESCE(SUM(weight), 0) FROM graph_edges")).scalar_one()), 4
        )
    index = container.vector_index()
    points = {
        kind: index.count(kind) if index.resolve_alias(kind) is not None else 0
        for kind in (CHUNK_KIND, ENTITY_KIND, REPORT_KIND)
    }
    return {"rows": counts, "keys": sorted(container.storage().keys()), "points": points}

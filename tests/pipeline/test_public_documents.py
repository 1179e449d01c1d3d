"""Portal documents end to end: a CKAN dataset whose resources are a PDF (made by reportlab) and
an image-only PDF, served on 127.0.0.1, synced, downloaded, extracted, chunked, put in the graph
and the index of the public workspace; the unreadable one is in error with its reason."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.engine.documents import PageSpan, page_of
from jurisgraph.models import Chunk, Document, GraphNode
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.search.service import search
from jurisgraph.workspaces.service import ensure_public_workspace
from tests.fakes.ckan_portal import FakeCatalog, serve_ckan_portal
from tests.fixtures import documents as docs
from tests.fixtures.homes import container_at
from tests.fixtures.store import PROCESSED, integrity_problems, resource_row

ATAS = "atas-de-distribuicao"


def test_pdf_resources_of_the_portal_become_public_documents(tmp_path: Path) -> None:
    catalog = FakeCatalog()
    catalog.add_package(ATAS, title="Atas de distribuição")
    catalog.add_resource(ATAS, "ata-20240105.pdf", docs.brief_pdf())
    # a resource named by its title, its format only in the CKAN field
    catalog.add_resource(
        ATAS, "Ata digitalizada 2024-01-12", docs.image_only_pdf(), metadata={"format": "PDF"}
    )
    with (
        serve_ckan_portal(catalog) as portal,
        container_at(
            tmp_path / "home",
            JURISGRAPH_PORTAL_MAX_RETRIES="0",
            JURISGRAPH_PIPELINE_CHUNK_SIZE="300",
            JURISGRAPH_PIPELINE_CHUNK_OVERLAP="50",
        ) as container,
    ):
        report = service.ingest(container, portal.base_url, ResourceFilter(dataset=ATAS), dense=False)

        assert report.download is not None and report.download.downloaded == 2
        ata = resource_row(container, "ata-20240105.pdf")
        scanned = resource_row(container, "Ata digitalizada 2024-01-12")
        assert ata.status in PROCESSED and ata.record_count == 1 and ata.chunk_count >= 3
        assert scanned.status == "error"
        assert scanned.error_message == "no text layer; OCR is not available"
        assert any("no text layer" in p for p in report.problems)

        with session_scope(container.sessions) as session:
            public = ensure_public_workspace(session)
            document = session.scalars(select(Document).where(Document.kind == "public_document")).one()
            assert document.workspace_id == public
            assert document.title == "ata-20240105.pdf"
            metadata = document.metadata_ or {}
            chunks = list(session.scalars(select(Chunk).where(Chunk.document_id == document.id)))
            nodes = set(session.scalars(select(GraphNode.entity_id).where(GraphNode.workspace_id == public)))
        pages = tuple(PageSpan(**p) for p in metadata["pages"])
        assert metadata["format"] == "pdf" and len(pages) == 3
        for chunk in chunks:
            assert document.text_content[chunk.start : chunk.end] == chunk.text
        assert {"processo:resp_1465535", "sumula:stj_7"} <= nodes

        hits = search(
            container.retrieval(), "honorários de sucumbência art. 85 do CPC", [public], mode="sparse"
        )
        best = hits[0]
        assert best.document_key == document.key
        cited = best.start + best.text.index("art. 85 do CPC")
        assert page_of(pages, cited) == 2
        assert document.text_content[pages[1].start : pages[1].end].find("art. 85 do CPC") >= 0
        assert integrity_problems(container) == []

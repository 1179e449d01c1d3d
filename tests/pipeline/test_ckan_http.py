"""The CKAN path end to end: the real catalogue served on 127.0.0.1, synced, downloaded, processed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.models import GraphEdge
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container
from tests.fakes.ckan_portal import (
    PRECEDENTES_RESOURCE_IDS,
    PRECEDENTES_SLUG,
    STJ_DATA,
    FakeCkanPortal,
    serve_ckan_portal,
    stj_catalog,
)
from tests.fakes.ckan_portal.catalog import PRECEDENTES_SNAPSHOT
from tests.fixtures.homes import container_at
from tests.fixtures.mirrors import csv_fields, csv_records, cut_precedentes
from tests.fixtures.store import PROCESSED, document_keys, integrity_problems, process_logs, resource_row

pytestmark = pytest.mark.skipif(not STJ_DATA.is_dir(), reason="shared STJ data folder not present")

TEMAS_ID = PRECEDENTES_RESOURCE_IDS["temas.csv"]
PROCESSOS_ID = PRECEDENTES_RESOURCE_IDS["processos.csv"]
ONLY_PRECEDENTES = ResourceFilter(dataset=PRECEDENTES_SLUG)


@dataclass
class Served:
    portal: FakeCkanPortal
    container: Container
    temas: bytes
    processos: bytes


@contextmanager
def served_precedentes(tmp_path: Path) -> Iterator[Served]:
    """The real catalogue with the precedentes files cut to 40 real Temas (ids and stamps kept),
    and a container that talks to it without delay and without retries."""
    catalog = stj_catalog()
    temas, processos = cut_precedentes(STJ_DATA / "precedentes", 38)
    catalog.replace_content(TEMAS_ID, temas, last_modified=PRECEDENTES_SNAPSHOT)
    catalog.replace_content(PROCESSOS_ID, processos, last_modified=PRECEDENTES_SNAPSHOT)
    with (
        serve_ckan_portal(catalog) as portal,
        container_at(tmp_path / "home", JURISGRAPH_PORTAL_MAX_RETRIES="0") as container,
    ):
        yield Served(portal, container, temas, processos)


def tema_keys(temas: bytes) -> set[str]:
    return {f"tema:{csv_fields(row)[2]}" for row in csv_records(temas)[1:] if csv_fields(row)[1] == "Tema"}


def leading_cases(container: Container) -> set[tuple[str, str]]:
    with session_scope(container.sessions) as session:
        rows = session.execute(
            select(GraphEdge.source_entity_id, GraphEdge.target_entity_id).where(
                GraphEdge.relationship_type == "LEADING_CASE_DE"
            )
        )
        return {(source, target) for source, target in rows}


def test_ingest_precedentes_over_http(tmp_path: Path) -> None:
    with served_precedentes(tmp_path) as served:
        report = service.ingest(served.container, served.portal.base_url, ONLY_PRECEDENTES, dense=False)
        assert report.problems == []
        assert report.sync is not None and report.sync.datasets == 1
        assert report.download is not None and report.download.downloaded == 2
        assert served.portal.count("/download/") == 2
        for name in ("temas.csv", "processos.csv"):
            assert resource_row(served.container, name).status in PROCESSED
        assert document_keys(served.container) == tema_keys(served.temas)
        assert len(tema_keys(served.temas)) == 40
        assert ("processo:resp_1850512", "tema:1076") in leading_cases(served.container)
        assert integrity_problems(served.container) == []


def test_a_failed_download_leaves_the_resource_in_error_and_the_rest_processed(tmp_path: Path) -> None:
    with served_precedentes(tmp_path) as served:
        served.portal.faults.fail(f"/resource/{PROCESSOS_ID}/download", 500, times=None)
        report = service.ingest(served.container, served.portal.base_url, ONLY_PRECEDENTES, dense=False)
        assert served.portal.count(f"/resource/{PROCESSOS_ID}/download") == 1
        processos = resource_row(served.container, "processos.csv")
        assert processos.status == "error"
        assert processos.error_message is not None and "500" in processos.error_message
        assert any(p.startswith("processos.csv") and "500" in p for p in report.problems)
        assert resource_row(served.container, "temas.csv").status in PROCESSED
        assert document_keys(served.container) == tema_keys(served.temas)
        assert leading_cases(served.container) == set()

        served.portal.faults.clear()
        again = service.ingest(served.container, served.portal.base_url, ONLY_PRECEDENTES, dense=False)
        assert again.problems == []
        processos = resource_row(served.container, "processos.csv")
        assert processos.status in PROCESSED and processos.error_message is None
        assert again.process is not None and again.process.resources == 2
        assert ("processo:resp_1850512", "tema:1076") in leading_cases(served.container)
        assert integrity_problems(served.container) == []


def test_new_content_published_on_the_portal_is_fetched_and_reprocessed_alone(tmp_path: Path) -> None:
    with served_precedentes(tmp_path) as served:
        first = service.ingest(served.container, served.portal.base_url, ONLY_PRECEDENTES, dense=False)
        assert first.problems == []
        rows = csv_records(served.temas)
        index = next(i for i, row in enumerate(rows) if csv_fields(row)[1:3] == ["Tema", "1076"])
        assert b"muito baixo" in rows[index]
        rows[index] = rows[index].replace(b"muito baixo", b"muito reduzido")
        served.portal.catalog.replace_content(
            TEMAS_ID, b"\r\n".join(rows) + b"\r\n", last_modified="2024-03-01T10:00:00"
        )

        second = service.ingest(served.container, served.portal.base_url, ONLY_PRECEDENTES, dense=False)
        assert second.sync is not None and second.sync.changed_resources == 1
        assert second.process is not None
        assert (second.process.resources, second.process.skipped_unchanged) == (1, 1)
        details = process_logs(served.container, TEMAS_ID)[-1].details or ""
        assert "0 new, 1 replaced, 39 unchanged, 0 removed" in details
        assert integrity_problems(served.container) == []

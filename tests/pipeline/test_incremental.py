"""A changed resource is re-processed alone, and what its old records contributed is gone."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.models import Chunk, Document, GraphNode
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container
from tests.fixtures.homes import container_at
from tests.fixtures.mirrors import PRIMEIRA_TURMA, espelho_records, small_files, write_mirror
from tests.fixtures.store import differences, graph_state, integrity_problems, process_logs, resource_row

EDITED = "000816183"
CITATION = (
    "REsp\n1.465.535/SP, Rel. Ministro LUIS FELIPE SALOMÃO, QUARTA TURMA,\n"
    "julgado em 21/06/2016, DJe 22/08/2016"
)
CITED = "   STJ - <<REsp 1465535>>-SP\n"


def without_one_citation(month: bytes) -> bytes:
    """The June 2022 month with espelho 000816183 no longer citing REsp 1.465.535/SP anywhere."""
    records = espelho_records(month)
    record = next(r for r in records if r["id"] == EDITED)
    assert CITATION in record["ementa"] and CITED in record["jurisprudenciaCitada"]
    record["ementa"] = record["ementa"].replace(CITATION, "precedente da Quarta Turma")
    record["jurisprudenciaCitada"] = record["jurisprudenciaCitada"].replace(CITED, "")
    assert "1465535" not in json.dumps(record) and "1.465.535" not in json.dumps(record)
    return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")


def documents(container: Container) -> dict[str, tuple[int, str]]:
    """Row id and content hash of every document, by key."""
    with session_scope(container.sessions) as session:
        rows = session.execute(select(Document.key, Document.id, Document.content_hash))
        return {key: (row_id, content) for key, row_id, content in rows}


def chunk_texts(container: Container, key: str) -> dict[str, str]:
    with session_scope(container.sessions) as session:
        rows = session.execute(
            select(Chunk.id, Chunk.text)
            .join(Document, Document.id == Chunk.document_id)
            .where(Document.key == key)
        )
        return {chunk: text for chunk, text in rows}


def node_keys(container: Container) -> set[str]:
    with session_scope(container.sessions) as session:
        return set(session.scalars(select(GraphNode.entity_id)))


def test_edited_month_is_reprocessed_alone_and_leaves_no_orphans(tmp_path: Path) -> None:
    files = small_files()
    mirror = write_mirror(tmp_path / "mirror", files, catalog=False)
    with container_at(tmp_path / "home") as container:
        first = service.ingest(container, str(mirror), ResourceFilter(), dense=False)
        assert first.process is not None and first.problems == []
        before = documents(container)
        old_chunks = chunk_texts(container, f"espelho:{EDITED}")
        assert "processo:resp_1465535" in node_keys(container)

        month = mirror / PRIMEIRA_TURMA / "20220630.json"
        month.write_bytes(without_one_citation(month.read_bytes()))
        second = service.ingest(container, str(mirror), ResourceFilter(), dense=False)

        assert second.process is not None and second.problems == []
        assert second.process.resources == 1
        assert second.process.skipped_unchanged == first.process.resources - 1
        assert second.process.documents == 2
        changed = resource_row(container, "20220630.json", PRIMEIRA_TURMA)
        assert "0 new, 1 replaced, 1 unchanged, 0 removed" in (
            process_logs(container, changed.resource_id)[-1].details or ""
        )

        after = documents(container)
        assert after.keys() == before.keys()
        assert {k for k in before if before[k] != after[k]} == {f"espelho:{EDITED}"}
        new_chunks = chunk_texts(container, f"espelho:{EDITED}")
        citing = {chunk for chunk, text in old_chunks.items() if "1.465.535" in text}
        assert citing and new_chunks and not (new_chunks.keys() & citing)
        assert not any("1.465.535" in text for text in new_chunks.values())
        assert "processo:resp_1465535" not in node_keys(container)
        assert integrity_problems(container) == []
        incremental = graph_state(container)

    with container_at(tmp_path / "fresh") as container:
        service.ingest(container, str(mirror), ResourceFilter(), dense=False)
        fresh = graph_state(container)
    assert differences(incremental.nodes, fresh.nodes) == []
    assert differences(incremental.edges, fresh.edges) == []
    assert differences(incremental.communities, fresh.communities) == []

"""An upload committed by an API process that died before queueing its job is queued again when
the next API process starts; one that a job covers is left to that job."""

from __future__ import annotations

from pathlib import Path

from jurisgraph.db import session_scope
from jurisgraph.documents import service
from jurisgraph.documents.service import IncomingFile
from tests.fixtures.accounts import add_user
from tests.fixtures.homes import container_at


def test_a_stranded_upload_is_queued_once(tmp_path: Path) -> None:
    with container_at(tmp_path / "home", JURISGRAPH_PIPELINE_EMBED_ON_START="false") as container:
        user = add_user(container, "ana@example.org")
        with session_scope(container.sessions) as session:
            rows = service.upload(
                session,
                container.storage(),
                container.settings,
                user_id=user,
                files=[IncomingFile("peticao.txt", "Conforme a Súmula 7/STJ, nega-se provimento.".encode())],
            )
            document_id = rows[0].id
        container.jobs().close()  # nothing runs: the rows say what was queued
        with session_scope(container.sessions) as session:
            assert service.resume_stranded(session, container.jobs()) == [document_id]
        with session_scope(container.sessions) as session:  # its job, queued now, covers it
            assert service.resume_stranded(session, container.jobs()) == []

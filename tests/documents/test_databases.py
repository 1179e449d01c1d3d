"""The whole life of an upload (store, process, re-process, delete) on SQLite and on MariaDB, at the
service layer: the same rows, and nothing left after the delete."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from jurisgraph.auth import service as auth
from jurisgraph.db import session_scope
from jurisgraph.documents import lifecycle, service
from jurisgraph.errors import Conflict, TooLarge
from jurisgraph.integrations.embeddings import build_embedder
from jurisgraph.jobs.queue import new_job
from jurisgraph.workspaces.service import ensure_private_workspace
from tests.documents.conftest import PseudoEmbedder
from tests.documents.helpers import CITING_PAGE, brief_pdf, snapshot
from tests.fixtures.homes import container_at


def test_upload_process_reprocess_and_delete(tmp_path: Path, empty_db_url: str) -> None:
    with container_at(tmp_path / "home", empty_db_url, JURISGRAPH_LLM_PROVIDER="none") as container:
        settings = container.settings
        signature = build_embedder(
            "local", model=settings.embedding.model, dim=settings.embedding.dim
        ).signature
        container.provide(embedder=PseudoEmbedder(signature))
        with session_scope(container.sessions) as session:
            user = auth.create_user(session, email="a@example.org", password="correct horse battery")
            principal = auth.principal_of(user, "api_key")
        never = snapshot(container)
        with session_scope(container.sessions) as session:
            [row] = service.upload(
                session,
                container.storage(),
                settings,
                user_id=principal.user_id or 0,
                files=[service.IncomingFile("recurso.pdf", brief_pdf())],
            )
            document_id, workspace_id = row.id, row.workspace_id
        first = lifecycle.process(container, document_id, workspace_id)
        assert first.status == "embedded" and first.pages == 3
        with session_scope(container.sessions) as session:
            row = service.owned(session, principal, document_id)
            pages = service.page_texts(row)
            assert [p["number"] for p in pages] == [1, 2, 3]
            assert "conversão em renda" in pages[CITING_PAGE - 1]["text"]
            service.reprocess(session, principal, document_id)
        processed = snapshot(container)
        second = lifecycle.process(container, document_id, workspace_id)
        assert (second.chunks, second.entities) == (first.chunks, first.entities)
        assert snapshot(container) == processed  # processing again writes the same rows and points
        with session_scope(container.sessions) as session:
            chunks = session.execute(
                text("SELECT COUNT(*) FROM chunks WHERE document_id = :d"), {"d": document_id}
            ).scalar_one()
        assert chunks == first.chunks
        lifecycle.delete(container, principal, document_id)
        assert snapshot(container) == never


def test_a_document_is_busy_while_its_job_runs_and_free_once_the_job_died(tmp_path: Path) -> None:
    with container_at(tmp_path / "home", JURISGRAPH_LLM_PROVIDER="none") as container:
        with session_scope(container.sessions) as session:
            user = auth.create_user(session, email="a@example.org", password="correct horse battery")
            principal = auth.principal_of(user, "api_key")
            [row] = service.upload(
                session,
                container.storage(),
                container.settings,
                user_id=user.id,
                files=[service.IncomingFile("recurso.pdf", brief_pdf())],
            )
            document_id = row.id
        job_id = new_job(container.sessions, service.JOB_KIND, {"document_id": document_id})
        with session_scope(container.sessions) as session:
            row = service.owned(session, principal, document_id)
            row.metadata_ = {**(row.metadata_ or {}), "job_id": job_id}
        # queued: processing it again would queue a second job for the same document
        with session_scope(container.sessions) as session, pytest.raises(Conflict, match="waiting"):
            service.reprocess(session, principal, document_id)
        with session_scope(container.sessions) as session:
            row = service.owned(session, principal, document_id)
            row.status = "chunking"
        with session_scope(container.sessions) as session, pytest.raises(Conflict):
            service.reprocess(session, principal, document_id)
        with pytest.raises(Conflict):
            lifecycle.delete(container, principal, document_id)
        with session_scope(container.sessions) as session:
            session.execute(text("UPDATE jobs SET status = 'failed' WHERE id = :j"), {"j": job_id})
        with session_scope(container.sessions) as session:
            assert service.reprocess(session, principal, document_id).status == "uploaded"


def test_two_uploads_at_once_cannot_pass_the_quota_together(
    tmp_path: Path, empty_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both requests would read the space used before either inserts (the barrier makes them try);
    holding the user's workspace makes the second wait and count the first."""
    from jurisgraph.documents import repository

    real = repository.used_bytes
    meet = threading.Barrier(2)

    def used_bytes(session: object, user_id: int, *, current: bool = False) -> int:
        # broken when the other request holds the workspace: this one came after it
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=2)
        return real(session, user_id, current=current)  # type: ignore[arg-type]

    monkeypatch.setattr(repository, "used_bytes", used_bytes)
    with container_at(tmp_path / "home", empty_db_url, JURISGRAPH_LLM_PROVIDER="none") as container:
        container.settings.storage.quota_mb = 1
        with session_scope(container.sessions) as session:
            user_id = auth.create_user(session, email="a@example.org", password="correct horse battery").id
            ensure_private_workspace(session, user_id)
        outcomes: list[str] = []

        def send(n: int) -> None:
            data = (f"Peça {n}. " + "Recurso especial. " * 40_000).encode()[:600_000]
            try:
                with session_scope(container.sessions) as session:
                    service.upload(
                        session,
                        container.storage(),
                        container.settings,
                        user_id=user_id,
                        files=[service.IncomingFile(f"peca-{n}.txt", data)],
                    )
                outcomes.append("stored")
            except TooLarge as exc:
                outcomes.append(exc.code)

        threads = [threading.Thread(target=send, args=(n,)) for n in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["quota_exceeded", "stored"]
        with session_scope(container.sessions) as session:
            assert repository.used_bytes(session, user_id) == 600_000
        assert len(list(container.storage().keys())) == 1

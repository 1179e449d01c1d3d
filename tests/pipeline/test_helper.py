"""Preparing resources in a helper process: same stored result as in the main process, and a
helper that dies or fails is a clear error that loses nothing."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.errors import InvalidInput, ProcessingError
from jurisgraph.models import Document, Mention, Resource
from jurisgraph.pipeline import helper_runner
from jurisgraph.pipeline.record_rows import Batch, Done, Message, Parsed, PrepareJob
from jurisgraph.pipeline.stages import process
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container
from tests.fixtures.homes import container_at
from tests.fixtures.sample import Sample
from tests.fixtures.store import differences, graph_state, table_counts

IN_MAIN = {"JURISGRAPH_PIPELINE_PREPARE_IN_HELPER": "false"}
IN_HELPER = {
    "JURISGRAPH_PIPELINE_PREPARE_IN_HELPER": "true",
    "JURISGRAPH_PIPELINE_PREPARE_HELPER_MIN_BYTES": "0",
}
PRECEDENTES = "precedentes-qualificados"
PROCESSOS = "processos.csv"


def stored_rows(container: Container) -> dict[str, Any]:
    """Documents (key, hash, counts, metadata), mentions by document key, counts and the graph."""
    with session_scope(container.sessions) as session:
        documents = {
            row[0]: tuple(row[1:])
            for row in session.execute(
                select(
                    Document.key,
                    Document.content_hash,
                    Document.chunk_count,
                    Document.entity_count,
                    Document.metadata_,
                    Document.data_decisao,
                    Document.status,
                )
            )
        }
        mentions = sorted(
            (str(row[0]), *(str(value) for value in row[1:]))
            for row in session.execute(
                select(
                    Document.key,
                    Mention.chunk_id,
                    Mention.target_kind,
                    Mention.target_id,
                    Mention.start,
                    Mention.end,
                    Mention.field,
                    Mention.count,
                    Mention.contribution,
                ).join(Document, Document.id == Mention.document_id)
            )
        )
    graph = graph_state(container)
    return {
        "counts": table_counts(container),
        "documents": documents,
        "mentions": mentions,
        "nodes": graph.nodes,
        "edges": graph.edges,
        "communities": graph.communities,
    }


def assert_same_store(left: dict[str, Any], right: dict[str, Any]) -> None:
    assert left["counts"] == right["counts"]
    assert differences(left["documents"], right["documents"]) == []
    assert left["mentions"] == right["mentions"]
    for part in ("nodes", "edges", "communities"):
        assert differences(left[part], right[part]) == []


@contextmanager
def recording_helper_use(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """The ``helper`` argument of every ``open_messages`` call the process stage makes."""
    used: list[bool] = []
    original = process.open_messages

    def recording(
        jobs: list[PrepareJob], *, helper: bool, **logging: Any
    ) -> AbstractContextManager[helper_runner.Messages]:
        used.append(helper)
        return original(jobs, helper=helper, **logging)

    monkeypatch.setattr(process, "open_messages", recording)
    yield used


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def ingest(container: Container, mirror: Path) -> None:
    report = service.ingest(container, str(mirror), ResourceFilter(), dense=False)
    assert report.process is not None and report.process.failed == []


def test_helper_and_main_process_store_the_same_small_mirror(
    tmp_path: Path, small_mirror: Path, empty_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with recording_helper_use(monkeypatch) as used:
        with container_at(tmp_path / "main", **IN_MAIN) as container:
            ingest(container, small_mirror)
            in_main = stored_rows(container)
        assert used == [False]
        with container_at(tmp_path / "helper", empty_db_url, **IN_HELPER) as container:
            ingest(container, small_mirror)
            in_helper = stored_rows(container)
        assert used == [False, True]
    assert min(in_main["counts"].values()) > 0
    assert_same_store(in_main, in_helper)


@pytest.mark.slow
def test_sample_ingested_through_the_helper_equals_one_ingested_in_the_main_process(
    tmp_path: Path, sample: Sample
) -> None:
    settings = sample.container.settings.pipeline
    sample_bytes = sum(p.stat().st_size for p in service.sample_folder().rglob("*") if p.is_file())
    assert settings.prepare_in_helper and sample_bytes >= settings.prepare_helper_min_bytes
    with container_at(tmp_path / "main", **IN_MAIN) as container:
        service.load_sample(container, dense=False)
        in_main = stored_rows(container)
    assert_same_store(in_main, stored_rows(sample.container))


def killing_the_helper_after_first_batch(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the process stage's helper die (SIGKILL) as soon as its first batch arrives; returns
    the pid killed."""
    killed: list[int] = []
    original = process.open_messages

    @contextmanager
    def dying(jobs: list[PrepareJob], *, helper: bool, **logging: Any) -> Iterator[Iterator[Message]]:
        def messages(inner: helper_runner.Messages) -> Iterator[Message]:
            for message in inner:
                if isinstance(message, Batch) and not killed:
                    assert inner.pid is not None
                    killed.append(inner.pid)
                    os.kill(inner.pid, signal.SIGKILL)
                yield message

        with original(jobs, helper=helper, **logging) as inner:
            yield messages(inner)

    monkeypatch.setattr(process, "open_messages", dying)
    return killed


@pytest.mark.slow
def test_a_helper_killed_mid_run_is_an_error_and_the_next_run_completes(
    tmp_path: Path, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample has far more batches than the helper may queue ahead, so it dies mid-run."""
    with container_at(tmp_path / "home", **IN_HELPER) as container:
        with monkeypatch.context() as patch:
            killed = killing_the_helper_after_first_batch(patch)
            with pytest.raises(ProcessingError, match="stopped unexpectedly"):
                service.load_sample(container, dense=False)
        assert len(killed) == 1 and not alive(killed[0])
        with session_scope(container.sessions) as session:
            rows = session.scalars(select(Resource).where(Resource.storage_path.is_not(None))).all()
            unfinished = [row for row in rows if row.processed_at is None]
            assert unfinished, "the helper died after every resource was prepared"
            for row in unfinished:  # nothing half-written: redone by the next run
                assert session.scalars(select(Document.id).where(Document.resource_id == row.id)).all() == []
            for row in rows:
                if row.processed_at is not None:
                    assert row.status == "extracting_entities"
        service.load_sample(container, dense=False)
        assert_same_store(stored_rows(sample.container), stored_rows(container))


def job_for(path: Path, kind: str, **overrides: Any) -> PrepareJob:
    values: dict[str, Any] = {
        "row_id": 1,
        "kind": kind,
        "path": str(path),
        "companion_path": None,
        "name": path.name,
        "url": None,
        "workspace_id": 1,
        "chunk_size": 1000,
        "chunk_overlap": 200,
    }
    values.update(overrides)
    return PrepareJob(**values)


def test_a_helper_that_raises_reports_the_traceback() -> None:
    folder = service.sample_folder() / PRECEDENTES
    bad = job_for(
        folder / "temas.csv", "precedentes", chunk_overlap=5000
    )  # overlap above the size: the chunker refuses
    with pytest.raises(InvalidInput, match="overlap"):
        list(helper_runner.prepare_jobs([bad]))
    with helper_runner.open_messages([bad], helper=True) as messages:
        assert messages.pid is not None and alive(messages.pid)
        first = next(messages)
        assert isinstance(first, Parsed) and len(first.hashes) > 100
        with pytest.raises(ProcessingError, match="InvalidInput: chunk size must be"):
            next(messages)
    assert not alive(messages.pid)


def test_helper_messages_equal_main_process_messages(tmp_path: Path) -> None:
    folder = service.sample_folder() / PRECEDENTES
    jobs = [
        job_for(folder / "temas.csv", "precedentes", companion_path=str(folder / PROCESSOS)),
        job_for(tmp_path / "missing.json", "espelho", row_id=2),
    ]
    in_main = list(helper_runner.prepare_jobs(jobs))
    with helper_runner.open_messages(jobs, helper=True) as messages:
        in_helper = list(messages)
    assert in_helper == in_main
    kinds = [type(m).__name__ for m in in_main]
    assert kinds[0] == "Parsed" and kinds[-2:] == ["Done", "Failed"]
    assert isinstance(in_main[-2], Done) and "cannot read" in getattr(in_main[-1], "message", "")
    parsed = in_main[0]
    assert isinstance(parsed, Parsed) and len(parsed.hashes) > 100
    assert sum(len(m.documents) for m in in_main if isinstance(m, Batch)) == len(parsed.hashes)


def test_a_helper_that_cannot_start_leaves_the_work_to_the_main_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = service.sample_folder() / PRECEDENTES
    jobs = [job_for(folder / "temas.csv", "precedentes", companion_path=str(folder / PROCESSOS))]
    monkeypatch.setattr(helper_runner.sys, "executable", str(tmp_path / "no-such-python"))
    with helper_runner.open_messages(jobs, helper=True) as messages:
        assert messages.pid is None
        assert list(messages) == list(helper_runner.prepare_jobs(jobs))

"""The container: each client built once (also under concurrent first use), ready-made clients,
one embedder per re-index target, and the jobs runner stopped before the clients it uses."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from jurisgraph import migrations
from jurisgraph.config import load_settings
from jurisgraph.jobs import handler
from jurisgraph.runtime import Container, Lazy


@pytest.fixture
def container() -> Iterator[Container]:
    built = Container.build(load_settings())
    try:
        yield built
    finally:
        built.close()


class RecordingIndex:
    """A vector index stand-in that records its use and its closing."""

    def __init__(self, events: list[str]) -> None:
        self.events = events

    def list_collections(self) -> list[str]:
        self.events.append("used")
        return []

    def close(self) -> None:
        self.events.append("closed")


def test_a_lazy_client_is_built_once_under_concurrent_first_use() -> None:
    calls: list[int] = []

    def factory() -> object:
        calls.append(1)
        time.sleep(0.05)  # a slow build: every thread asks while it runs
        return object()

    lazy: Lazy[object] = Lazy(factory)
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda _: lazy.get(), range(16)))
    assert len(calls) == 1 and all(item is got[0] for item in got)
    assert lazy.built() is got[0]
    lazy.close()
    assert lazy.built() is None


def test_clients_are_kept_and_ready_made_ones_are_used(container: Container) -> None:
    assert container.sparse_encoder() is container.sparse_encoder()
    assert container.embedder() is container.embedder()
    events: list[str] = []
    index = RecordingIndex(events)
    container.provide(vector_index=index)  # type: ignore[arg-type]
    assert container.vector_index() is index
    retrieval = container.retrieval()
    assert retrieval.vector_index() is index and retrieval.embedder() is container.embedder()
    container.check_vector_store()
    assert events == ["used"]


def test_one_embedder_per_reindex_target(container: Container) -> None:
    first = container.embedder_for("local", "multilingual-e5-small", 384)
    assert container.embedder_for("local", "multilingual-e5-small", 384) is first
    assert first is not container.embedder()
    assert first.signature == container.embedder().signature


def test_without_an_llm_there_is_no_gateway_for_answers(container: Container) -> None:
    assert container.configured_gateway() is None
    assert container.gateway().provider == "none"


CLOSE_STARTED = threading.Event()


@handler("test_uses_the_index")
def uses_the_index(
    container: Container, job_id: str, payload: dict[str, Any], progress: Any
) -> dict[str, Any]:
    CLOSE_STARTED.set()
    time.sleep(0.3)
    container.vector_index().list_collections()
    return {}


def test_close_waits_for_running_jobs_before_closing_the_clients() -> None:
    container = Container.build(load_settings())
    events: list[str] = []
    container.provide(vector_index=RecordingIndex(events))  # type: ignore[arg-type]
    CLOSE_STARTED.clear()
    migrations.upgrade(container.settings.database_url)
    container.jobs().submit("test_uses_the_index", {})
    assert CLOSE_STARTED.wait(10)
    container.close()
    assert events == ["used", "closed"]


def test_storage_is_the_local_folder_by_default(container: Container) -> None:
    from jurisgraph.integrations.storage import LocalObjectStore

    store = container.storage()

    assert isinstance(store, LocalObjectStore)
    assert store is container.storage()
    assert store.root == str(container.settings.storage_path.resolve())
    assert store.get(store.put(b"peticao").key) == b"peticao"


def test_storage_is_the_s3_bucket_the_settings_name(monkeypatch: pytest.MonkeyPatch, s3_bucket: Any) -> None:
    from jurisgraph.integrations.storage.s3 import S3ObjectStore

    monkeypatch.setenv("JURISGRAPH_STORAGE_BACKEND", "s3")
    monkeypatch.setenv("S3_BUCKET", s3_bucket.name)
    monkeypatch.setenv("S3_ENDPOINT_URL", s3_bucket.server.endpoint_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3_bucket.server.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3_bucket.server.secret_access_key)
    built = Container.build(load_settings())
    try:
        store = built.storage()
        assert isinstance(store, S3ObjectStore)
        assert store.root == f"s3://{s3_bucket.name}"
        assert store.get(store.put(b"peticao").key) == b"peticao"
    finally:
        built.close()

"""One contract over both object stores (a local folder and a real S3 server): put, get, delete,
exists, keys; content addressing; atomic writes; malformed keys."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jurisgraph.errors import NotFound, StorageError
from jurisgraph.integrations.storage import LocalObjectStore, ObjectStore, key_for
from jurisgraph.integrations.storage.s3 import S3ObjectStore
from tests.fixtures.s3 import S3Bucket

BRIEF = "Recurso especial: honorários nos termos do art. 85 do CPC; não incide a Súmula 7/STJ.".encode()


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore]:
    if request.param == "local":
        yield LocalObjectStore(tmp_path / "storage")
        return
    bucket: S3Bucket = request.getfixturevalue("s3_bucket")
    s3 = S3ObjectStore(bucket.name, **bucket.store_kwargs())
    yield s3
    s3.close()


def test_put_get_exists_delete_round_trip(store: ObjectStore) -> None:
    stored = store.put(BRIEF)

    assert stored.sha256 == hashlib.sha256(BRIEF).hexdigest()
    assert stored.size == len(BRIEF)
    assert stored.key == f"sha256/{stored.sha256[:2]}/{stored.sha256}"
    assert store.exists(stored.key)
    assert store.get(stored.key) == BRIEF
    assert list(store.keys()) == [stored.key]

    store.delete(stored.key)

    assert not store.exists(stored.key)
    assert list(store.keys()) == []
    store.delete(stored.key)  # idempotent
    with pytest.raises(NotFound):
        store.get(stored.key)


def test_same_content_same_key_one_object(store: ObjectStore) -> None:
    first = store.put(BRIEF)
    second = store.put(bytes(BRIEF))
    other = store.put(BRIEF + b"!")

    assert first == second
    assert other.key != first.key
    assert sorted(store.keys()) == sorted({first.key, other.key})


def test_empty_and_large_objects(store: ObjectStore) -> None:
    large = os.urandom(3 * 1024 * 1024 + 17)
    empty = store.put(b"")
    big = store.put(large)

    assert store.get(empty.key) == b""
    assert store.get(big.key) == large
    assert big.size == len(large)


@pytest.mark.parametrize(
    "key",
    [
        "../etc/passwd",
        "/abs/key",
        "sha256/../../x",
        "a//b",
        "sha256/ab/.tmp-x",
        "",
        "a\\b",
        "chave com espaço",
    ],
)
def test_malformed_keys_are_refused(store: ObjectStore, key: str) -> None:
    for action in (store.get, store.exists, store.delete):
        with pytest.raises(StorageError):
            action(key)


def test_missing_key_reads(store: ObjectStore) -> None:
    key = key_for("0" * 64)

    assert not store.exists(key)
    with pytest.raises(NotFound):
        store.get(key)


def _everything(store: ObjectStore) -> list[str]:
    """Every file of a local store's folder, or every object of an S3 store's bucket prefix."""
    if isinstance(store, LocalObjectStore):
        return [p.as_posix() for p in store.path.rglob("*") if p.is_file()]
    assert isinstance(store, S3ObjectStore)
    return list(store.all_keys())


def test_a_failure_mid_write_leaves_no_final_and_no_temporary_object(
    store: ObjectStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    if isinstance(store, LocalObjectStore):
        # the bytes are in the temporary file when the rename fails
        def crash(*args: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(os, "replace", crash)
    else:
        assert isinstance(store, S3ObjectStore)

        def cut(request: Any, **_: Any) -> None:
            raw = request.body
            body = raw if isinstance(raw, bytes) else raw.read()
            request.body = body[: len(body) // 2] + bytes(len(body) - len(body) // 2)

        store.client.meta.events.register("before-send.s3.PutObject", cut)

    with pytest.raises(StorageError):
        store.put(BRIEF * 50)

    assert _everything(store) == []
    assert list(store.keys()) == []
    monkeypatch.undo()
    if isinstance(store, S3ObjectStore):
        store.client.meta.events.unregister("before-send.s3.PutObject", cut)
    assert store.get(store.put(BRIEF * 50).key) == BRIEF * 50


def test_local_failure_mid_write_leaves_neither_final_nor_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalObjectStore(tmp_path / "storage")

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(StorageError, match="disk full"):
        store.put(BRIEF)
    monkeypatch.undo()

    assert [p for p in (tmp_path / "storage").rglob("*") if p.is_file()] == []
    assert list(store.keys()) == []
    # a later put of the same content succeeds
    assert store.get(store.put(BRIEF).key) == BRIEF


def test_local_interrupted_write_after_data_is_cleaned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalObjectStore(tmp_path / "storage")
    real_fsync = os.fsync
    calls = {"n": 0}

    def interrupted(fd: int) -> None:
        calls["n"] += 1
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.put(BRIEF)
    monkeypatch.setattr(os, "fsync", real_fsync)

    assert calls["n"] == 1
    assert [p for p in (tmp_path / "storage").rglob("*") if p.is_file()] == []


def test_local_keys_ignore_other_files_in_the_folder(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    (tmp_path / "espelhos").mkdir()
    (tmp_path / "espelhos" / "20220630.json").write_text("[]")

    stored = store.put(BRIEF)

    assert list(store.keys()) == [stored.key]

"""Backups of S3 storage: the bucket's objects and their listing saved, then restored into an
empty bucket with the same keys and checksums, through the store part and the backup service."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from jurisgraph.backups import service
from jurisgraph.backups.storage import BUCKET_LISTING, S3Storage
from jurisgraph.errors import Conflict, InvalidInput
from jurisgraph.integrations.storage.s3 import S3ObjectStore
from tests.fixtures.documents import brief_docx, brief_pdf, html_page
from tests.fixtures.homes import container_at
from tests.fixtures.s3 import S3Bucket, S3Server


def _checksums(store: S3ObjectStore) -> dict[str, str]:
    return {key: hashlib.sha256(store.get(key)).hexdigest() for key in store.all_keys()}


def _other_bucket(server: S3Server, name: str) -> S3Bucket:
    client = server.client()
    client.create_bucket(Bucket=name)
    client.close()
    return S3Bucket(server, name)


def _fill(store: S3ObjectStore) -> None:
    for data in (brief_pdf(), brief_docx(), html_page(), b""):
        store.put(data)
    store.put_at("resources/atas/2024-01.pdf", brief_pdf())


def test_bucket_round_trip_into_an_empty_bucket(s3_bucket: S3Bucket, tmp_path: Path) -> None:
    source = S3ObjectStore(s3_bucket.name, **s3_bucket.store_kwargs())
    _fill(source)
    before = _checksums(source)
    assert len(before) == 5

    saved = S3Storage(source).save(tmp_path / "storage")

    listing = json.loads((tmp_path / "storage" / BUCKET_LISTING).read_text())
    assert saved == 6  # five objects and the listing
    assert {o["key"]: o["sha256"] for o in listing["objects"]} == before
    target_bucket = _other_bucket(s3_bucket.server, s3_bucket.name + "-restored")
    target = S3ObjectStore(target_bucket.name, **target_bucket.store_kwargs())
    part = S3Storage(target)
    assert part.count() == 0

    assert part.restore(tmp_path / "storage") == 5

    assert _checksums(target) == before
    assert sorted(target.keys()) == sorted(source.keys())


def test_a_damaged_saved_object_is_refused(s3_bucket: S3Bucket, tmp_path: Path) -> None:
    source = S3ObjectStore(s3_bucket.name, **s3_bucket.store_kwargs())
    stored = source.put(brief_pdf())
    S3Storage(source).save(tmp_path / "storage")
    saved = tmp_path.joinpath("storage", "objects", *stored.key.split("/"))
    saved.write_bytes(saved.read_bytes()[:-1] + b"X")
    source.delete(stored.key)

    with pytest.raises(InvalidInput, match="does not match"):
        S3Storage(source).restore(tmp_path / "storage")
    assert list(source.all_keys()) == []


def test_backup_service_saves_and_restores_s3_storage(s3_bucket: S3Bucket, tmp_path: Path) -> None:
    server = s3_bucket.server
    target_bucket = _other_bucket(server, s3_bucket.name + "-target")

    def variables(bucket: str) -> dict[str, str]:
        return {
            "JURISGRAPH_STORAGE_BACKEND": "s3",
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": server.endpoint_url,
            "AWS_ACCESS_KEY_ID": server.access_key_id,
            "AWS_SECRET_ACCESS_KEY": server.secret_access_key,
        }

    with container_at(tmp_path / "source", **variables(s3_bucket.name)) as source:
        store = source.storage()
        assert isinstance(store, S3ObjectStore)
        _fill(store)
        before = _checksums(store)
        entry = service.create(source, tmp_path / "backups")
        assert entry.manifest.storage.kind == "s3"
        assert entry.manifest.storage.root == f"s3://{s3_bucket.name}"
        assert service.verify(source, entry.path) == []

    with container_at(tmp_path / "target", **variables(target_bucket.name)) as target:
        # a migrated schema without rows counts as empty; restore replaces the database file
        report = service.restore(target, entry.path)
        restored = target.storage()
        assert isinstance(restored, S3ObjectStore)
        assert report.files == 5
        assert _checksums(restored) == before
        with pytest.raises(Conflict, match="storage folder holds 5 files"):
            service.restore(target, entry.path)

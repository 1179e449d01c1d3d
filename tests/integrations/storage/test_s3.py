"""The S3 store against a real SeaweedFS server: a write corrupted in transit stores nothing,
signatures are checked, a missing bucket is a clear error, transient failures are retried."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from jurisgraph.errors import StorageError
from jurisgraph.integrations.storage.s3 import S3ObjectStore
from jurisgraph.kit.retry import RetryPolicy
from tests.fixtures.s3 import S3Bucket, S3Server

DATA = "Acórdão da Primeira Turma sobre a Súmula 7/STJ".encode() * 100


def _store(bucket: S3Bucket, **kwargs: Any) -> S3ObjectStore:
    return S3ObjectStore(bucket.name, **bucket.store_kwargs(), **kwargs)


def _all_objects(bucket: S3Bucket) -> list[str]:
    client = bucket.server.client()
    listed = client.list_objects_v2(Bucket=bucket.name).get("Contents", [])
    client.close()
    return [item["Key"] for item in listed]


def test_a_body_corrupted_in_transit_stores_no_object_and_no_temporary_one(s3_bucket: S3Bucket) -> None:
    store = _store(s3_bucket)

    def corrupt(request: Any, **_: Any) -> None:
        raw = request.body
        body = bytearray(raw if isinstance(raw, bytes) else raw.read())
        body[len(body) // 2] ^= 0xFF
        request.body = bytes(body)

    store.client.meta.events.register("before-send.s3.PutObject", corrupt)
    with pytest.raises(StorageError):
        store.put(DATA)

    assert _all_objects(s3_bucket) == []
    store.client.meta.events.unregister("before-send.s3.PutObject", corrupt)
    assert store.get(store.put(DATA).key) == DATA
    assert len(_all_objects(s3_bucket)) == 1


def test_wrong_secret_is_refused(s3_bucket: S3Bucket) -> None:
    kwargs = s3_bucket.store_kwargs() | {"secret_access_key": "not-the-secret"}
    store = S3ObjectStore(s3_bucket.name, **kwargs)

    with pytest.raises(StorageError) as caught:
        store.put(DATA)

    assert "SignatureDoesNotMatch" in caught.value.message or "AccessDenied" in caught.value.message
    assert _all_objects(s3_bucket) == []


def test_missing_bucket_is_a_clear_error_and_never_created(s3_server: S3Server) -> None:
    store = S3ObjectStore(
        "jg-no-such-bucket",
        endpoint_url=s3_server.endpoint_url,
        access_key_id=s3_server.access_key_id,
        secret_access_key=s3_server.secret_access_key,
    )

    with pytest.raises(StorageError, match="does not exist"):
        store.put(DATA)
    with pytest.raises(StorageError, match="does not exist"):
        store.check_bucket()
    client = s3_server.client()
    assert "jg-no-such-bucket" not in [b["Name"] for b in client.list_buckets().get("Buckets", [])]
    client.close()


def test_transient_failures_are_retried_by_the_retry_policy(s3_bucket: S3Bucket) -> None:
    store = _store(s3_bucket, retry=RetryPolicy(max_retries=3, initial_wait=0.0, max_wait=0.0, jitter=0.0))
    failures = {"left": 2, "seen": 0}

    def throttle(request: Any, **_: Any) -> AWSResponse | None:
        failures["seen"] += 1
        if failures["left"] <= 0:
            return None
        failures["left"] -= 1
        body = b"<Error><Code>SlowDown</Code><Message>slow down</Message></Error>"
        return _raw_response(request.url, 503, body)

    store.client.meta.events.register("before-send.s3.PutObject", throttle)
    stored = store.put(DATA)

    assert failures["seen"] == 3
    assert store.get(stored.key) == DATA


def test_retries_run_out_into_a_storage_error(s3_bucket: S3Bucket) -> None:
    store = _store(s3_bucket, retry=RetryPolicy(max_retries=2, initial_wait=0.0, max_wait=0.0, jitter=0.0))
    seen = []

    def always(request: Any, **_: Any) -> AWSResponse:
        seen.append(1)
        return _raw_response(request.url, 500, b"<Error><Code>InternalError</Code></Error>")

    store.client.meta.events.register("before-send.s3.PutObject", always)
    with pytest.raises(StorageError):
        store.put(DATA)

    assert len(seen) == 3
    assert _all_objects(s3_bucket) == []


def test_prefix_keeps_objects_under_it(s3_bucket: S3Bucket) -> None:
    store = _store(s3_bucket, prefix="tenant-a")

    stored = store.put(DATA)

    assert store.root == f"s3://{s3_bucket.name}/tenant-a"
    assert _all_objects(s3_bucket) == [f"tenant-a/{stored.key}"]
    assert list(store.keys()) == [stored.key]


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> list[bytes]:
        return [self._body]


def _raw_response(url: str, status: int, body: bytes) -> AWSResponse:
    return AWSResponse(url, status, {"Content-Type": "application/xml"}, _Raw(body))

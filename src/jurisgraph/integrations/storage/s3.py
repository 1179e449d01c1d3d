"""The object store in an S3-compatible bucket (AWS, MinIO, SeaweedFS…) through boto3.

A PutObject is atomic per object in S3 (readers see the whole old object or the whole new
one, never a part), so ``put`` writes the final key in one request with its SHA-256 checked by
the server (``ChecksumSHA256``); nothing temporary is ever created. Transient failures
(throttling, 5xx, connection resets) are retried by the one retry policy (kit/retry.py).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, EndpointConnectionError

from jurisgraph.errors import NotFound, StorageError
from jurisgraph.integrations.storage.base import KEY_PREFIX, StoredObject, digest, key_for, validate_key
from jurisgraph.kit.retry import RetryPolicy

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

T = TypeVar("T")

_TRANSIENT_CODES = frozenset(
    {"SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "InternalError", "ServiceUnavailable"}
)
_MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


class TransientStorageError(StorageError):
    """An S3 failure worth retrying (throttling, 5xx, connection reset)."""


def _is_transient(error: BaseException) -> bool:
    return isinstance(error, TransientStorageError)


class S3ObjectStore:
    """Objects in ``bucket`` (under an optional ``prefix``); the bucket must exist."""

    kind = "s3"

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        region: str = "us-east-1",
        prefix: str = "",
        retry: RetryPolicy | None = None,
        client: S3Client | None = None,
    ) -> None:
        if not bucket:
            raise StorageError("S3 storage needs a bucket (S3_BUCKET)")
        self.bucket = bucket
        self.prefix = validate_key(prefix.strip("/")) + "/" if prefix.strip("/") else ""
        self.root = f"s3://{bucket}" + (f"/{self.prefix.rstrip('/')}" if self.prefix else "")
        self.retry = retry or RetryPolicy(max_retries=3, initial_wait=0.5, max_wait=10.0)
        self.client: S3Client = client or boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            region_name=region,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"total_max_attempts": 1, "mode": "standard"},
                connect_timeout=10,
                read_timeout=60,
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    # -- the port -------------------------------------------------------------------------

    def put(self, data: bytes) -> StoredObject:
        sha = digest(data)
        return self.put_at(key_for(sha), data, sha256=sha)

    def put_at(self, key: str, data: bytes, *, sha256: str | None = None) -> StoredObject:
        """Store ``data`` under ``key`` as it is (restores of a backup); the server checks the
        SHA-256, so a body damaged on the way stores nothing."""
        sha = sha256 or digest(data)
        checksum = base64.b64encode(bytes.fromhex(sha)).decode("ascii")
        name = self._name(key)
        self._call(
            f"put {key}",
            lambda: self.client.put_object(Bucket=self.bucket, Key=name, Body=data, ChecksumSHA256=checksum),
        )
        return StoredObject(key, len(data), sha)

    def get(self, key: str) -> bytes:
        name = self._name(key)
        response = self._call(f"get {key}", lambda: self.client.get_object(Bucket=self.bucket, Key=name))
        if response is None:
            raise NotFound(f"no stored object {key}")
        body: bytes = self._call(f"read {key}", response["Body"].read)
        return body

    def delete(self, key: str) -> None:
        name = self._name(key)
        self._call(f"delete {key}", lambda: self.client.delete_object(Bucket=self.bucket, Key=name))

    def exists(self, key: str) -> bool:
        name = self._name(key)
        return (
            self._call(f"head {key}", lambda: self.client.head_object(Bucket=self.bucket, Key=name))
            is not None
        )

    def keys(self) -> Iterator[str]:
        return self._list(KEY_PREFIX + "/")

    def all_keys(self) -> Iterator[str]:
        """Every object under the store's prefix, whoever put it (backups save them all)."""
        return self._list("")

    def _list(self, under: str) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        pages = paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + under)
        iterator = iter(pages)
        while True:
            page = self._call("list", lambda: next(iterator, None))
            if page is None:
                return
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix) :]

    def close(self) -> None:
        """Close the HTTP connections of the client."""
        self.client.close()

    # -- helpers --------------------------------------------------------------------------

    def check_bucket(self) -> None:
        """Raise :class:`StorageError` when the bucket is missing or unreadable with these keys."""
        found = self._call("head bucket", lambda: self.client.head_bucket(Bucket=self.bucket))
        if found is None:
            raise StorageError(self._missing_bucket())

    def _missing_bucket(self) -> str:
        return f"S3 bucket {self.bucket!r} does not exist (create it first, for example with the preflight)"

    def _name(self, key: str) -> str:
        return self.prefix + validate_key(key)

    def _call(self, what: str, action: Callable[[], T]) -> T | Any:
        """Run one S3 request under the retry policy; ``None`` when what it names is missing (404)."""

        def attempt() -> T | None:
            try:
                return action()
            except ClientError as error:
                code = str(error.response.get("Error", {}).get("Code", ""))
                status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
                if code == "NoSuchBucket":
                    raise StorageError(self._missing_bucket()) from error
                if code in _MISSING_CODES or status == 404:
                    return None
                if code in _TRANSIENT_CODES or status >= 500 or status == 429:
                    raise TransientStorageError(f"S3 {what} failed: {code or status}") from error
                raise StorageError(f"S3 {what} failed: {code or status}: {error}") from error
            except (EndpointConnectionError, ConnectionError) as error:
                raise TransientStorageError(f"S3 {what}: cannot reach the endpoint: {error}") from error
            except BotoCoreError as error:
                raise StorageError(f"S3 {what} failed: {error}") from error

        return self.retry.call(attempt, transient=_is_transient, what=f"s3 {what}", log_event="storage_retry")

"""Build the object store that the settings name (the config layer maps the env vars)."""

from __future__ import annotations

from pathlib import Path

from jurisgraph.errors import ConfigError
from jurisgraph.integrations.storage.base import ObjectStore
from jurisgraph.integrations.storage.local import LocalObjectStore


def build_object_store(
    backend: str,
    *,
    path: Path,
    bucket: str = "",
    endpoint_url: str = "",
    access_key_id: str = "",
    secret_access_key: str = "",
) -> ObjectStore:
    """A :class:`LocalObjectStore` in ``path`` (``local``) or an :class:`S3ObjectStore` on
    ``bucket`` (``s3``, boto3 imported only then); any other backend is a :class:`ConfigError`."""
    if backend == "local":
        return LocalObjectStore(path)
    if backend == "s3":
        if not bucket:
            raise ConfigError("storage backend s3 needs S3_BUCKET")
        from jurisgraph.integrations.storage.s3 import S3ObjectStore

        return S3ObjectStore(
            bucket,
            endpoint_url=endpoint_url or None,
            access_key_id=access_key_id or None,
            secret_access_key=secret_access_key or None,
        )
    raise ConfigError(f"unknown storage backend {backend!r} (local or s3)")

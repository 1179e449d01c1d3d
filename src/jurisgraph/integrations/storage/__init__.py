"""The storage port and its adapters: a local folder (default) or an S3-compatible bucket.

``S3ObjectStore`` lives in :mod:`jurisgraph.integrations.storage.s3` (imported on demand: boto3
is slow to import).
"""

from jurisgraph.integrations.storage.base import ObjectStore, StoredObject, digest, key_for, validate_key
from jurisgraph.integrations.storage.factory import build_object_store
from jurisgraph.integrations.storage.local import LocalObjectStore

__all__ = [
    "LocalObjectStore",
    "ObjectStore",
    "StoredObject",
    "build_object_store",
    "digest",
    "key_for",
    "validate_key",
]

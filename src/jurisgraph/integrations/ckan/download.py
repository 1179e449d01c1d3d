"""Conditional, resumable, size-limited HTTP download of one resource into a folder."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import httpx
import structlog

from jurisgraph.errors import TooLarge
from jurisgraph.integrations.ckan.errors import PortalHttpError, PortalResponseError, PortalRetryableError
from jurisgraph.integrations.ckan.files import (
    HashingWriter,
    discard,
    finish,
    hash_prefix,
    part_path,
    space_checked,
    target_path,
    too_large,
)
from jurisgraph.integrations.ckan.http import PortalHttp, raise_for_status
from jurisgraph.integrations.ckan.records import (
    DownloadResult,
    DownloadState,
    Resource,
    catalog_unchanged,
    unchanged_result,
)

log = structlog.get_logger(__name__)

_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")
_MAX_RESTARTS = 3


def download_over_http(
    http: PortalHttp,
    resource: Resource,
    dest_dir: Path,
    *,
    url: str,
    known: DownloadState | None,
    max_bytes: int,
) -> DownloadResult:
    """Fetch ``url`` into ``dest_dir/<resource file name>``; see :class:`_Download` for the contract."""
    target = target_path(dest_dir, resource)
    if known is not None and catalog_unchanged(resource, known):
        log.info("download_skipped", resource=resource.id, reason="catalog unchanged")
        return unchanged_result(known, resource, target)
    dest_dir.mkdir(parents=True, exist_ok=True)
    job = _Download(http, resource, url, target, known, max_bytes)
    return http.retry(job.attempt, url)


class _Download:
    """One resource download, retried as a whole by the caller.

    Bytes go to ``<target>.part`` while the sha256 is computed on the fly. A part left by an
    interrupted attempt (or an earlier run) is resumed with ``Range`` (guarded by ``If-Range``
    with the validator saved beside it); a 200 reply restarts from zero. The part is deleted
    when the size limit is passed and kept on transient failures. The finished file replaces
    ``target`` atomically. With ``known`` the request is conditional and a 304 reports no change.
    """

    def __init__(
        self,
        http: PortalHttp,
        resource: Resource,
        url: str,
        target: Path,
        known: DownloadState | None,
        max_bytes: int,
    ) -> None:
        self.http = http
        self.resource = resource
        self.url = url
        self.target = target
        self.part = part_path(target)
        self.validator_file = target.with_name(target.name + ".part.validator")
        self.known = known
        self.max_bytes = max_bytes

    def attempt(self) -> DownloadResult:
        for _ in range(_MAX_RESTARTS):
            with space_checked(self.target.parent, self.part, self.validator_file):
                result = self._request()
            if result is not None:
                return result
        raise PortalRetryableError(self.url, None, "the server kept rejecting the partial download")

    def _request(self) -> DownloadResult | None:
        offset = self.part.stat().st_size if self.part.exists() else 0
        headers = {"Accept": "*/*", "Accept-Encoding": "identity"}
        conditional = offset == 0 and self._add_conditions(headers)
        if offset:
            headers["Range"] = f"bytes={offset}-"
            if self.validator_file.exists():
                headers["If-Range"] = self.validator_file.read_text(encoding="utf-8").strip()
        with self.http.stream(self.url, headers=headers) as response:
            status = response.status_code
            if status == 304 and conditional and self.known is not None:
                log.info("download_not_modified", resource=self.resource.id)
                return unchanged_result(self.known, self.resource, self.target)
            if status == 416 and offset:
                discard(self.part, self.validator_file)
                return None
            raise_for_status(response)
            if status not in (200, 206):
                raise PortalHttpError(self.url, status, "unexpected status for a download")
            self._reject_html(response)
            total = self._expected_total(response, offset)
            if total is None and status == 206:
                discard(self.part, self.validator_file)
                return None
            if status == 200:
                offset = 0
                self._save_validator(response)
            written = self._write(response, offset, total)
        return self._complete(response, written, total)

    def _add_conditions(self, headers: dict[str, str]) -> bool:
        known = self.known
        if known is None or (known.path is not None and not known.path.exists()):
            return False
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.http_last_modified:
            headers["If-Modified-Since"] = known.http_last_modified
        return bool(known.etag or known.http_last_modified)

    def _reject_html(self, response: httpx.Response) -> None:
        content_type = response.headers.get("Content-Type", "").lower()
        if content_type.startswith("text/html") and self.resource.format.lower() not in {"html", "htm"}:
            raise PortalResponseError(self.url, response.status_code, "an HTML page instead of the file")

    def _expected_total(self, response: httpx.Response, offset: int) -> int | None:
        """Total size of the file; None on a 206 whose range does not start at ``offset``."""
        if response.status_code == 206:
            match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
            if match is None or int(match.group(1)) != offset:
                return None
            total = match.group(3)
            return int(total) if total != "*" else int(match.group(2)) + 1
        length = response.headers.get("Content-Length")
        return int(length) if length and length.isdigit() else None

    def _save_validator(self, response: httpx.Response) -> None:
        validator = response.headers.get("ETag") or response.headers.get("Last-Modified")
        if validator and not validator.startswith("W/"):
            self.validator_file.write_text(validator, encoding="utf-8")
        else:
            discard(self.validator_file)

    def _write(self, response: httpx.Response, offset: int, total: int | None) -> tuple[str, int]:
        if total is not None and total > self.max_bytes:
            discard(self.part, self.validator_file)
            raise too_large(self.url, total, self.max_bytes)
        if offset:
            digest, _ = hash_prefix(self.part, self.http.settings.chunk_size)
            log.info("download_resumed", resource=self.resource.id, offset=offset)
        else:
            digest = hashlib.sha256()
        try:
            with self.part.open("ab" if offset else "wb") as handle:
                writer = HashingWriter(handle, digest, start=offset, max_bytes=self.max_bytes, url=self.url)
                writer.write_all(response.iter_bytes(self.http.settings.chunk_size))
        except TooLarge:
            discard(self.part, self.validator_file)
            raise
        return digest.hexdigest(), writer.size

    def _complete(
        self, response: httpx.Response, written: tuple[str, int], total: int | None
    ) -> DownloadResult:
        sha256, size = written
        if total is not None and size != total:
            if size > total:
                discard(self.part, self.validator_file)
            raise PortalRetryableError(self.url, response.status_code, f"received {size} of {total} bytes")
        finish(self.part, self.target)
        discard(self.validator_file)
        if self.resource.size is not None and self.resource.size != size:
            log.warning(
                "download_size_differs", resource=self.resource.id, catalog=self.resource.size, got=size
            )
        changed = self.known is None or self.known.sha256 != sha256
        log.info("download_done", resource=self.resource.id, size=size, changed=changed)
        return DownloadResult(
            path=self.target,
            sha256=sha256,
            size=size,
            changed=changed,
            last_modified=self.resource.last_modified,
            etag=response.headers.get("ETag"),
            http_last_modified=response.headers.get("Last-Modified"),
        )

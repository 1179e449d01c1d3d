"""A portal served from a local folder: a ``catalog.json`` or plain ``<dataset-slug>/<files>``."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import structlog

from jurisgraph.errors import InvalidInput, ParseError
from jurisgraph.integrations.ckan.errors import DatasetNotFound, MirrorFileMissing
from jurisgraph.integrations.ckan.files import (
    HashingWriter,
    discard,
    finish,
    hash_file,
    part_path,
    space_checked,
    target_path,
    too_large,
)
from jurisgraph.integrations.ckan.known import known_dataset
from jurisgraph.integrations.ckan.records import (
    DownloadResult,
    DownloadState,
    Package,
    Resource,
    catalog_unchanged,
    unchanged_result,
)

log = structlog.get_logger(__name__)

CATALOG_FILE = "catalog.json"
MIRROR_NAMESPACE = uuid.UUID("166ce496-38e5-4ee6-90d0-de48e274230c")
# Files a browser or an interrupted copy leaves behind; never resources.
_UNFINISHED_SUFFIXES = (".part", ".crdownload", ".download", ".partial", ".tmp", ".validator")


def mirror_id(*parts: str) -> str:
    """A stable CKAN-like id (uuid5) for a dataset slug or a ``slug/filename`` pair."""
    return str(uuid.uuid5(MIRROR_NAMESPACE, "/".join(parts)))


def file_path_from_url(url: str) -> Path:
    """The local path of a ``file://`` URL."""
    return Path(url2pathname(unquote(urlsplit(url).path)))


def write_catalog(folder: Path, packages: Iterable[Package], *, relative_urls: bool = True) -> Path:
    """Write ``folder/catalog.json``; with ``relative_urls`` each resource URL becomes
    ``<package name>/<file name>``, where the caller is expected to put the file."""
    entries: list[dict[str, Any]] = []
    for package in packages:
        entry = package.to_ckan()
        if relative_urls:
            for item, resource in zip(entry["resources"], package.resources, strict=True):
                item["url"] = f"{package.name}/{resource.filename}"
        entries.append(entry)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CATALOG_FILE
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


class MirrorPortal:
    """Datasets from a folder. With ``catalog.json`` (a list of ``package_show`` results whose
    resource URLs are relative to the folder) that file is the catalogue; otherwise every
    sub-folder is a dataset and each finished file in it a resource, with ids hashed from
    ``slug/filename`` and ``last_modified``/``size`` taken from the file system."""

    def __init__(self, folder: Path | str, *, chunk_size: int = 1 << 16) -> None:
        self.folder = Path(folder).expanduser()
        if not self.folder.is_dir():
            raise InvalidInput(f"mirror folder {self.folder} does not exist")
        self.chunk_size = chunk_size

    @property
    def location(self) -> str:
        """The mirror folder."""
        return str(self.folder)

    def close(self) -> None:
        """Nothing to release; present for the Portal protocol."""

    def __enter__(self) -> MirrorPortal:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def package_list(self) -> list[str]:
        """Dataset slugs, in catalogue order (or sorted, for a plain folder)."""
        return [package.name for package in self._packages()]

    def package_show(self, slug: str) -> Package:
        """The dataset with this slug or id; raises DatasetNotFound."""
        for package in self._packages():
            if slug in (package.name, package.id):
                return package
        raise DatasetNotFound(f"dataset {slug!r} not found in mirror {self.folder}")

    def resource_path(self, resource: Resource) -> Path:
        """The file behind a resource (it may not exist)."""
        url = resource.url
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            return file_path_from_url(url)
        package_name = self._package_name(resource.package_id)
        if scheme in {"http", "https"} or not url:
            candidates = [self.folder / package_name / resource.filename, self.folder / resource.filename]
            return next((path for path in candidates if path.is_file()), candidates[0])
        path = (self.folder / unquote(url)).resolve()
        if not path.is_relative_to(self.folder.resolve()):
            raise InvalidInput(f"resource {resource.id} points outside the mirror folder: {url!r}")
        return path

    def download(
        self,
        resource: Resource,
        dest_dir: Path,
        *,
        known: DownloadState | None = None,
        max_bytes: int,
    ) -> DownloadResult:
        """Copy the resource's file into ``dest_dir`` hashing it (no copy when it is already
        there); skipped when the catalogue shows it unchanged since ``known``."""
        dest_dir = Path(dest_dir)
        target = target_path(dest_dir, resource)
        if known is not None and catalog_unchanged(resource, known):
            log.info("download_skipped", resource=resource.id, reason="catalog unchanged")
            return unchanged_result(known, resource, target)
        source = self.resource_path(resource)
        if not source.is_file():
            raise MirrorFileMissing(f"resource {resource.id} ({resource.name}): {source} is missing")
        size = source.stat().st_size
        if size > max_bytes:
            raise too_large(str(source), size, max_bytes)
        if target.exists() and target.samefile(source):
            sha256, size = hash_file(source, self.chunk_size)
        else:
            sha256, size = self._copy(source, target, max_bytes)
        changed = known is None or known.sha256 != sha256
        log.info("download_done", resource=resource.id, size=size, changed=changed, mirror=str(self.folder))
        return DownloadResult(
            path=target, sha256=sha256, size=size, changed=changed, last_modified=resource.last_modified
        )

    def _copy(self, source: Path, target: Path, max_bytes: int) -> tuple[str, int]:
        target.parent.mkdir(parents=True, exist_ok=True)
        part = part_path(target)
        digest = hashlib.sha256()
        with space_checked(target.parent, part):
            try:
                with source.open("rb") as reader, part.open("wb") as writer:
                    sink = HashingWriter(writer, digest, start=0, max_bytes=max_bytes, url=str(source))
                    sink.write_all(iter(lambda: reader.read(self.chunk_size), b""))
            except BaseException:
                discard(part)
                raise
            finish(part, target)
        return digest.hexdigest(), sink.size

    def _package_name(self, package_id: str) -> str:
        for package in self._packages():
            if package_id in (package.id, package.name):
                return package.name
        return package_id

    def _packages(self) -> list[Package]:
        catalog = self.folder / CATALOG_FILE
        if catalog.is_file():
            return self._read_catalog(catalog)
        return [self._scan(folder) for folder in sorted(self.folder.iterdir()) if _visible_dir(folder)]

    @staticmethod
    def _read_catalog(path: Path) -> list[Package]:
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise ParseError(f"{path}: {exc}") from exc
        if isinstance(data, dict):
            data = data.get("packages", data.get("result"))
        if not isinstance(data, list):
            raise ParseError(f"{path}: expected a list of packages")
        return [Package.from_ckan(item) for item in data if isinstance(item, dict)]

    @staticmethod
    def _scan(folder: Path) -> Package:
        slug = folder.name
        package_id = mirror_id(slug)
        files = sorted(path for path in folder.iterdir() if _finished_file(path))
        resources = []
        for position, path in enumerate(files):
            stat = path.stat()
            modified = datetime.fromtimestamp(stat.st_mtime, tz=UTC).replace(tzinfo=None).isoformat()
            resources.append(
                Resource(
                    id=mirror_id(slug, path.name),
                    package_id=package_id,
                    name=path.name,
                    url=f"{slug}/{path.name}",
                    format=path.suffix.lstrip(".").upper(),
                    size=stat.st_size,
                    last_modified=modified,
                    created=None,
                    position=position,
                    description="",
                )
            )
        known = known_dataset(slug)
        return Package(
            id=package_id,
            name=slug,
            title=known.title if known else slug,
            notes="",
            organization=None,
            num_resources=len(resources),
            metadata_modified=max((r.last_modified for r in resources if r.last_modified), default=None),
            resources=resources,
        )


def _visible_dir(path: Path) -> bool:
    return path.is_dir() and not path.name.startswith((".", "_"))


def _finished_file(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".") and not path.name.endswith(_UNFINISHED_SUFFIXES)

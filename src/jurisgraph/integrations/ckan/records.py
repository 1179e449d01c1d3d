"""Value types of the portal clients: packages, resources and download outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jurisgraph.errors import ParseError


@dataclass(frozen=True, slots=True)
class Resource:
    """One downloadable file of a dataset, as CKAN describes it (``size`` may be unknown)."""

    id: str
    package_id: str
    name: str
    url: str
    format: str
    size: int | None
    last_modified: str | None
    created: str | None
    position: int
    description: str

    @property
    def filename(self) -> str:
        """A safe file name for the resource: its name, or else the last segment of its URL."""
        candidate = self.name or unquote(urlsplit(self.url).path.rsplit("/", 1)[-1])
        cleaned = candidate.replace("\\", "/").rsplit("/", 1)[-1].strip()
        if cleaned in {"", ".", ".."}:
            return self.id or "resource"
        return cleaned

    @classmethod
    def from_ckan(cls, data: Mapping[str, Any], *, package_id: str = "", position: int = 0) -> Resource:
        """Build from one entry of ``package_show``'s ``resources``; raises ParseError without an id."""
        resource_id = _text(data.get("id"))
        if not resource_id:
            raise ParseError("CKAN resource without an id")
        name = _text(data.get("name"))
        url = _text(data.get("url"))
        fmt = _text(data.get("format")) or Path(name or urlsplit(url).path).suffix.lstrip(".").upper()
        raw_position = data.get("position")
        return cls(
            id=resource_id,
            package_id=_text(data.get("package_id")) or package_id,
            name=name,
            url=url,
            format=fmt,
            size=_int_or_none(data.get("size")),
            last_modified=_text(data.get("last_modified")) or None,
            created=_text(data.get("created")) or None,
            position=raw_position if isinstance(raw_position, int) else position,
            description=_text(data.get("description")),
        )

    def to_ckan(self) -> dict[str, Any]:
        """The CKAN-shaped dictionary of this resource (the inverse of :meth:`from_ckan`)."""
        return {
            "id": self.id,
            "package_id": self.package_id,
            "name": self.name,
            "url": self.url,
            "format": self.format,
            "size": self.size,
            "last_modified": self.last_modified,
            "created": self.created,
            "position": self.position,
            "description": self.description,
        }


@dataclass(slots=True)
class Package:
    """A dataset with its resources, as ``package_show`` returns it."""

    id: str
    name: str
    title: str
    notes: str
    organization: str | None
    num_resources: int
    metadata_modified: str | None
    resources: list[Resource] = field(default_factory=list)

    @classmethod
    def from_ckan(cls, data: Mapping[str, Any]) -> Package:
        """Build from a ``package_show`` result; raises ParseError when name or id is missing."""
        package_id = _text(data.get("id"))
        name = _text(data.get("name"))
        if not package_id or not name:
            raise ParseError("CKAN package without id or name")
        raw_resources = data.get("resources") or []
        if not isinstance(raw_resources, list):
            raise ParseError(f"CKAN package {name}: 'resources' is not a list")
        resources = [
            Resource.from_ckan(item, package_id=package_id, position=index)
            for index, item in enumerate(raw_resources)
            if isinstance(item, Mapping)
        ]
        organization = data.get("organization")
        if isinstance(organization, Mapping):
            organization = organization.get("name")
        num_resources = _int_or_none(data.get("num_resources"))
        return cls(
            id=package_id,
            name=name,
            title=_text(data.get("title")) or name,
            notes=_text(data.get("notes")),
            organization=_text(organization) or None,
            num_resources=len(resources) if num_resources is None else num_resources,
            metadata_modified=_text(data.get("metadata_modified")) or None,
            resources=resources,
        )

    def to_ckan(self) -> dict[str, Any]:
        """The CKAN-shaped dictionary of this package (the inverse of :meth:`from_ckan`)."""
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "notes": self.notes,
            "organization": {"name": self.organization} if self.organization else None,
            "num_resources": self.num_resources,
            "metadata_modified": self.metadata_modified,
            "resources": [resource.to_ckan() for resource in self.resources],
        }

    def resource_named(self, name: str) -> Resource:
        """The resource with this name; raises KeyError when absent."""
        for resource in self.resources:
            if resource.name == name:
                return resource
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class DownloadState:
    """What is already known of a resource from an earlier download.

    ``last_modified`` and ``size`` are the catalogue's values at that time; ``etag`` and
    ``http_last_modified`` are the HTTP validators; ``path`` is where the bytes were put.
    """

    sha256: str
    size: int
    last_modified: str | None = None
    etag: str | None = None
    http_last_modified: str | None = None
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class DownloadResult:
    """Outcome of a download: ``changed`` is False when the content is the same as ``known``."""

    path: Path
    sha256: str
    size: int
    changed: bool
    last_modified: str | None
    etag: str | None = None
    http_last_modified: str | None = None

    def to_state(self) -> DownloadState:
        """The state to pass as ``known`` next time."""
        return DownloadState(
            sha256=self.sha256,
            size=self.size,
            last_modified=self.last_modified,
            etag=self.etag,
            http_last_modified=self.http_last_modified,
            path=self.path,
        )


def unchanged_result(known: DownloadState, resource: Resource, target: Path) -> DownloadResult:
    """The result reported when the content is known to be the same as ``known``."""
    return DownloadResult(
        path=known.path or target,
        sha256=known.sha256,
        size=known.size,
        changed=False,
        last_modified=resource.last_modified or known.last_modified,
        etag=known.etag,
        http_last_modified=known.http_last_modified,
    )


def catalog_unchanged(resource: Resource, known: DownloadState | None) -> bool:
    """True when the catalogue shows the same last_modified (and size, when given) as ``known``.

    A known ``path`` that no longer exists means the bytes must be fetched again.
    """
    if known is None or resource.last_modified is None or known.last_modified is None:
        return False
    if known.path is not None and not known.path.exists():
        return False
    if resource.size is not None and resource.size != known.size:
        return False
    return resource.last_modified == known.last_modified


def with_url(resource: Resource, url: str) -> Resource:
    """A copy of ``resource`` pointing at ``url``."""
    return replace(resource, url=url)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _int_or_none(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None

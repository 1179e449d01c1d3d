"""The fake portal's catalogue: CKAN package dictionaries built from the real STJ files."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.fixtures.paths import SHARED_DATA

STJ_DATA = SHARED_DATA

INTEGRAS_SLUG = "integras-de-decisoes-terminativas-e-acordaos-do-diario-da-justica"
INTEGRAS_ID = "a2cd85cc-1391-4ebc-aeed-a45dd75a7987"
PRECEDENTES_SLUG = "precedentes-qualificados"
PRECEDENTES_ID = "4238da2f-c07b-4c1a-b345-4402accacdcf"
PRIMEIRA_SECAO_SLUG = "espelhos-de-acordaos-primeira-secao"
PRIMEIRA_SECAO_ID = "a96a175b-a54b-4bfd-82b8-fcd7cc0200bc"
ORGANIZATION = {"name": "superior-tribunal-de-justica", "title": "Superior Tribunal de Justiça"}
# Resource ids of the precedentes-qualificados package as published (SOURCES.md §4).
PRECEDENTES_RESOURCE_IDS = {
    "temas.csv": "df29da13-7d6b-41ba-ad96-cd1a5bbd191c",
    "processos.csv": "7ed21202-0049-4fcb-aa7c-48d810d3c499",
    "dicionario-temas.csv": "d5e50514-6dba-4f1e-8557-94f135eae03b",
    "dicionario-processos.csv": "162e58f0-01c1-4d91-94a4-664b4de81e79",
}
PRECEDENTES_SNAPSHOT = "2023-11-14T00:00:00"
CONTENT_TYPES = {
    ".json": "application/json",
    ".csv": "text/csv",
    ".zip": "application/zip",
    ".txt": "text/plain",
}


class FakeCatalog:
    """Packages as CKAN dictionaries (URLs are filled in when served) and the bytes behind them."""

    def __init__(self) -> None:
        self.packages: dict[str, dict[str, Any]] = {}
        self.listed: list[str] = []
        self._content: dict[str, bytes | Path] = {}
        self._lock = threading.Lock()

    def add_package(
        self, name: str, *, package_id: str | None = None, title: str | None = None, notes: str = ""
    ) -> dict[str, Any]:
        package: dict[str, Any] = {
            "id": package_id or str(uuid.uuid5(uuid.NAMESPACE_URL, name)),
            "name": name,
            "title": title or name,
            "notes": notes,
            "organization": dict(ORGANIZATION),
            "license_id": "cc-by",
            "state": "active",
            "type": "dataset",
            "metadata_modified": None,
            "resources": [],
        }
        self.packages[name] = package
        if name not in self.listed:
            self.listed.append(name)
        return package

    def add_resource(
        self,
        package_name: str,
        name: str,
        content: bytes | Path | None,
        *,
        metadata: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Add a resource; ``metadata`` (a real CKAN resource, for example) overrides the defaults.
        Without ``content`` the resource is listed but its download answers 404."""
        package = self.packages[package_name]
        size = (
            None
            if content is None
            else (len(content) if isinstance(content, bytes) else content.stat().st_size)
        )
        resource: dict[str, Any] = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{package_name}/{name}")),
            "package_id": package["id"],
            "name": name,
            "format": Path(name).suffix.lstrip(".").upper(),
            "mimetype": CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream"),
            "size": size,
            "created": "2024-01-01T00:00:00",
            "last_modified": "2024-01-01T00:00:00",
            "description": "",
            "position": len(package["resources"]),
            "url_type": "upload",
            "state": "active",
            **(metadata or {}),
        }
        if content is not None:
            resource["size"] = size
            self._content[resource["id"]] = content
        package["resources"].append(resource)
        package["metadata_modified"] = max(
            str(package["metadata_modified"] or ""),
            str(resource.get("metadata_modified") or resource["last_modified"]),
        )
        return resource

    def replace_content(self, resource_id: str, content: bytes, *, last_modified: str) -> None:
        """Publish new bytes for a resource (size and last_modified follow)."""
        with self._lock:
            _, resource = self.find_resource(resource_id)
            resource.update(size=len(content), last_modified=last_modified)
            self._content[resource_id] = content

    def find_resource(self, resource_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        for package in self.packages.values():
            for resource in package["resources"]:
                if resource["id"] == resource_id:
                    return package, resource
        raise KeyError(resource_id)

    def content(self, resource_id: str) -> bytes | None:
        with self._lock:
            source = self._content.get(resource_id)
        return source.read_bytes() if isinstance(source, Path) else source


def stj_catalog(*, all_integras_resources: bool = False, data_dir: Path = STJ_DATA) -> FakeCatalog:
    """The real package_list (Jan 2024) with three packages built from the real files:
    íntegras (the real resource entries; only those with a local file unless
    ``all_integras_resources``), precedentes-qualificados (real ids) and the Primeira Seção
    espelhos (dictionary + one raw record). Other listed datasets have no resources."""
    catalog = FakeCatalog()
    ckan = data_dir / "ckan"
    for slug in json.loads((ckan / "package_list_2024-01.json").read_text(encoding="utf-8"))["result"]:
        catalog.add_package(slug)
    catalog.add_package(
        INTEGRAS_SLUG,
        package_id=INTEGRAS_ID,
        title="Íntegras de Decisões Terminativas e Acórdãos do Diário da Justiça",
    )
    dictionary = json.loads(
        (ckan / "integras_package_show_resource0_dicionario.json").read_text(encoding="utf-8")
    )
    catalog.add_resource(
        INTEGRAS_SLUG,
        dictionary["name"],
        data_dir / "integras" / dictionary["name"],
        metadata=_strip(dictionary),
    )
    listing = ckan / "integras_package_show_resources_metadados_2022-09_a_2024-01.json"
    for entry in json.loads(listing.read_text(encoding="utf-8")):
        local = data_dir / "integras" / entry["name"]
        if local.is_file() or all_integras_resources:
            catalog.add_resource(
                INTEGRAS_SLUG, entry["name"], local if local.is_file() else None, metadata=_strip(entry)
            )
    catalog.add_package(PRECEDENTES_SLUG, package_id=PRECEDENTES_ID, title="Precedentes Qualificados")
    for name, resource_id in PRECEDENTES_RESOURCE_IDS.items():
        stamp = {"id": resource_id, "last_modified": PRECEDENTES_SNAPSHOT, "created": PRECEDENTES_SNAPSHOT}
        catalog.add_resource(PRECEDENTES_SLUG, name, data_dir / "precedentes" / name, metadata=stamp)
    catalog.add_package(
        PRIMEIRA_SECAO_SLUG, package_id=PRIMEIRA_SECAO_ID, title="Espelhos de Acórdãos - Primeira Seção"
    )
    for path in sorted((data_dir / "espelhos").glob("*")):
        if path.name.startswith(("dicionario", "espelho_raw")):
            catalog.add_resource(PRIMEIRA_SECAO_SLUG, path.name, path)
    return catalog


def _strip(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A real resource without its URL (set when served; the size follows the bytes served)."""
    return {key: value for key, value in entry.items() if key != "url"}

"""MirrorPortal (catalog.json and plain folders) against the HTTP portal, and open_portal."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jurisgraph.errors import InvalidInput, TooLarge
from jurisgraph.integrations.ckan import (
    CkanPortal,
    DatasetNotFound,
    MirrorFileMissing,
    MirrorPortal,
    Package,
    Portal,
    mirror_id,
    open_portal,
    write_catalog,
)
from tests.fakes.ckan_portal import INTEGRAS_SLUG, PRECEDENTES_SLUG, STJ_DATA, FakeCkanPortal
from tests.fixtures.ckan import MAX_BYTES, real_file

PRECEDENTES_FILES = sorted(path.name for path in (STJ_DATA / "precedentes").glob("*.csv"))


def without_urls(package: Package) -> Package:
    return replace(package, resources=[replace(resource, url="") for resource in package.resources])


def bare_precedentes(root: Path) -> Path:
    """A folder as a browser user would fill it: real files plus unfinished leftovers."""
    folder = root / PRECEDENTES_SLUG
    folder.mkdir(parents=True)
    for name in PRECEDENTES_FILES:
        shutil.copyfile(real_file("precedentes", name), folder / name)
    (folder / "processos.csv.crdownload").write_bytes(b"half a file")
    (folder / ".DS_Store").write_bytes(b"")
    return root


def test_a_catalog_mirror_matches_the_http_portal(client: CkanPortal, tmp_path: Path) -> None:
    root = tmp_path / "mirror"
    packages = [client.package_show(slug) for slug in (INTEGRAS_SLUG, PRECEDENTES_SLUG)]
    fetched = {}
    for package in packages:
        for resource in package.resources:
            fetched[resource.id] = client.download(resource, root / package.name, max_bytes=MAX_BYTES)
    write_catalog(root, packages)

    mirror = MirrorPortal(root)
    assert mirror.package_list() == [INTEGRAS_SLUG, PRECEDENTES_SLUG]
    out = tmp_path / "out"
    for package in packages:
        local = mirror.package_show(package.name)
        assert without_urls(local) == without_urls(package)
        assert all(r.url == f"{package.name}/{r.name}" for r in local.resources)
        for resource in local.resources:
            result = mirror.download(resource, out / package.name, max_bytes=MAX_BYTES)
            assert result.sha256 == fetched[resource.id].sha256
            assert result.size == fetched[resource.id].size
    temas = mirror.package_show(PRECEDENTES_SLUG).resource_named("temas.csv")
    assert (
        fetched[temas.id].sha256
        == hashlib.sha256(real_file("precedentes", "temas.csv").read_bytes()).hexdigest()
    )


def test_a_catalog_mirror_finds_files_for_absolute_portal_urls(client: CkanPortal, tmp_path: Path) -> None:
    package = client.package_show(PRECEDENTES_SLUG)
    write_catalog(tmp_path, [package], relative_urls=False)
    shutil.copyfile(real_file("precedentes", "processos.csv"), tmp_path / "processos.csv")
    mirror = MirrorPortal(tmp_path)
    resource = mirror.package_show(package.id).resource_named("processos.csv")
    assert resource.url.startswith("http://127.0.0.1")
    result = mirror.download(resource, tmp_path / "out", max_bytes=MAX_BYTES)
    assert result.sha256 == hashlib.sha256(real_file("precedentes", "processos.csv").read_bytes()).hexdigest()
    with pytest.raises(MirrorFileMissing):
        mirror.download(
            mirror.package_show(package.name).resource_named("temas.csv"), tmp_path, max_bytes=MAX_BYTES
        )


def test_a_plain_folder_becomes_a_dataset(tmp_path: Path) -> None:
    root = bare_precedentes(tmp_path / "mirror")
    stamp = datetime(2023, 11, 14, 12, 30, tzinfo=UTC).timestamp()
    os.utime(root / PRECEDENTES_SLUG / "temas.csv", (stamp, stamp))
    mirror = MirrorPortal(root)
    assert mirror.package_list() == [PRECEDENTES_SLUG]
    package = mirror.package_show(PRECEDENTES_SLUG)
    assert package.title == "Precedentes Qualificados"
    assert [r.name for r in package.resources] == PRECEDENTES_FILES
    assert [r.size for r in package.resources] == [
        real_file("precedentes", n).stat().st_size for n in PRECEDENTES_FILES
    ]
    assert [r.id for r in package.resources] == [mirror_id(PRECEDENTES_SLUG, n) for n in PRECEDENTES_FILES]
    assert len({r.id for r in package.resources}) == len(PRECEDENTES_FILES)
    assert package.resource_named("temas.csv").last_modified == "2023-11-14T12:30:00"
    assert package.resource_named("temas.csv").format == "CSV"
    assert MirrorPortal(root).package_show(package.id) == package
    with pytest.raises(DatasetNotFound):
        mirror.package_show("atas-de-distribuicao")


def test_a_plain_folder_download_is_skipped_until_the_file_changes(tmp_path: Path) -> None:
    root = bare_precedentes(tmp_path / "mirror")
    mirror = MirrorPortal(root)
    resource = mirror.package_show(PRECEDENTES_SLUG).resource_named("dicionario-temas.csv")
    first = mirror.download(resource, tmp_path / "out", max_bytes=MAX_BYTES)
    original = real_file("precedentes", "dicionario-temas.csv").read_bytes()
    assert first.sha256 == hashlib.sha256(original).hexdigest() and first.changed
    assert (tmp_path / "out" / "dicionario-temas.csv").read_bytes() == original

    same = mirror.download(resource, tmp_path / "out", known=first.to_state(), max_bytes=MAX_BYTES)
    assert same.changed is False and same.sha256 == first.sha256

    edited = original + "extra;line\r\n".encode("iso-8859-1")
    (root / PRECEDENTES_SLUG / "dicionario-temas.csv").write_bytes(edited)
    later = first.to_state().last_modified
    os.utime(root / PRECEDENTES_SLUG / "dicionario-temas.csv", (1.9e9, 1.9e9))
    updated = mirror.package_show(PRECEDENTES_SLUG).resource_named("dicionario-temas.csv")
    assert updated.last_modified != later
    result = mirror.download(updated, tmp_path / "out", known=first.to_state(), max_bytes=MAX_BYTES)
    assert result.changed is True and result.sha256 == hashlib.sha256(edited).hexdigest()


def test_a_plain_folder_matches_the_http_portal(client: CkanPortal, tmp_path: Path) -> None:
    mirror = MirrorPortal(bare_precedentes(tmp_path / "mirror"))
    remote = client.package_show(PRECEDENTES_SLUG)
    local = mirror.package_show(PRECEDENTES_SLUG)
    assert sorted((r.name, r.size, r.format) for r in remote.resources) == [
        (r.name, r.size, r.format) for r in local.resources
    ]
    for resource in local.resources:
        from_http = client.download(
            remote.resource_named(resource.name), tmp_path / "http", max_bytes=MAX_BYTES
        )
        from_folder = mirror.download(resource, tmp_path / "folder", max_bytes=MAX_BYTES)
        assert from_http.sha256 == from_folder.sha256


def test_downloading_into_the_mirror_itself_only_hashes(tmp_path: Path) -> None:
    root = bare_precedentes(tmp_path)
    mirror = MirrorPortal(root)
    resource = mirror.package_show(PRECEDENTES_SLUG).resource_named("processos.csv")
    result = mirror.download(resource, root / PRECEDENTES_SLUG, max_bytes=MAX_BYTES)
    assert result.sha256 == hashlib.sha256(real_file("precedentes", "processos.csv").read_bytes()).hexdigest()
    assert not (root / PRECEDENTES_SLUG / "processos.csv.part").exists()


def test_the_mirror_enforces_the_size_limit(tmp_path: Path) -> None:
    mirror = MirrorPortal(bare_precedentes(tmp_path / "mirror"))
    resource = mirror.package_show(PRECEDENTES_SLUG).resource_named("temas.csv")
    with pytest.raises(TooLarge):
        mirror.download(resource, tmp_path / "out", max_bytes=1_000_000)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_open_portal_picks_the_implementation(fake_portal: FakeCkanPortal, tmp_path: Path) -> None:
    remote = open_portal(fake_portal.base_url + "/api/3/action/", request_interval_s=0)
    assert isinstance(remote, CkanPortal) and isinstance(remote, Portal)
    assert remote.location == fake_portal.base_url
    assert remote.package_show(PRECEDENTES_SLUG).name == PRECEDENTES_SLUG
    remote.close()
    for target in (str(tmp_path), tmp_path.as_uri()):
        local = open_portal(target)
        assert isinstance(local, MirrorPortal) and isinstance(local, Portal)
        assert Path(local.location) == tmp_path
    with pytest.raises(InvalidInput):
        open_portal(str(tmp_path / "nowhere"))
    with pytest.raises(TypeError):
        open_portal(fake_portal.base_url, request_interval=1)

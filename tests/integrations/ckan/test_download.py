"""CkanPortal.download over real HTTP: hashes, conditional requests, resume, size limits."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from jurisgraph.errors import TooLarge
from jurisgraph.integrations.ckan import CkanPortal, PortalHttpError, PortalRetryableError, Resource
from tests.fakes.ckan_portal import INTEGRAS_SLUG, FakeCkanPortal, serve_ckan_portal, stj_catalog
from tests.fixtures.ckan import FAST, MAX_BYTES, real_file

DOWNLOAD = "/download/"
BIG = "metadados20220901.json"  # the largest real íntegras file, 1.7 MB


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integras_resource(client: CkanPortal, name: str) -> Resource:
    return client.package_show(INTEGRAS_SLUG).resource_named(name)


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if ".part" in path.name)


def test_download_hash_is_the_hash_of_the_real_file(client: CkanPortal, tmp_path: Path) -> None:
    resource = integras_resource(client, BIG)
    result = client.download(resource, tmp_path, max_bytes=MAX_BYTES)
    original = real_file("integras", BIG)
    assert result.sha256 == sha256_of(original)
    assert result.size == original.stat().st_size
    assert result.path == tmp_path / BIG and result.path.read_bytes() == original.read_bytes()
    assert result.changed is True
    assert result.last_modified == resource.last_modified
    assert result.etag and result.http_last_modified
    assert leftovers(tmp_path) == []


def test_latin1_csv_bytes_arrive_unchanged(client: CkanPortal, tmp_path: Path) -> None:
    package = client.package_show("precedentes-qualificados")
    result = client.download(package.resource_named("temas.csv"), tmp_path, max_bytes=MAX_BYTES)
    assert result.sha256 == sha256_of(real_file("precedentes", "temas.csv"))


def test_an_unchanged_catalogue_entry_is_skipped_without_a_request(
    client: CkanPortal, fake_portal: FakeCkanPortal, tmp_path: Path
) -> None:
    resource = integras_resource(client, "metadados20230104.json")
    first = client.download(resource, tmp_path, max_bytes=MAX_BYTES)
    again = client.download(resource, tmp_path, known=first.to_state(), max_bytes=MAX_BYTES)
    assert again.changed is False
    assert (again.sha256, again.size, again.path) == (first.sha256, first.size, first.path)
    assert fake_portal.count(DOWNLOAD) == 1


def test_a_304_reports_no_change(client: CkanPortal, fake_portal: FakeCkanPortal, tmp_path: Path) -> None:
    resource = integras_resource(client, "metadados20230104.json")
    first = client.download(resource, tmp_path, max_bytes=MAX_BYTES)
    stale_catalogue = replace(first.to_state(), last_modified="2022-01-01T00:00:00")
    again = client.download(resource, tmp_path, known=stale_catalogue, max_bytes=MAX_BYTES)
    assert again.changed is False and again.sha256 == first.sha256
    conditional = fake_portal.requests_to(DOWNLOAD)[-1]
    assert conditional.status == 304
    assert conditional.headers["if-none-match"] == first.etag
    assert conditional.headers["if-modified-since"] == first.http_last_modified


def test_new_content_is_downloaded_and_flagged(
    client: CkanPortal, fake_portal: FakeCkanPortal, tmp_path: Path
) -> None:
    resource = integras_resource(client, "metadados20230104.json")
    first = client.download(resource, tmp_path, max_bytes=MAX_BYTES)
    newer = real_file("integras", "metadados20240110.json").read_bytes()
    fake_portal.catalog.replace_content(resource.id, newer, last_modified="2024-02-01T10:00:00.000000")
    republished = integras_resource(client, "metadados20230104.json")
    assert republished.size == len(newer)
    result = client.download(republished, tmp_path, known=first.to_state(), max_bytes=MAX_BYTES)
    assert result.changed is True
    assert result.sha256 == hashlib.sha256(newer).hexdigest() != first.sha256
    assert result.path.read_bytes() == newer
    assert fake_portal.requests_to(DOWNLOAD)[-1].status == 200


def test_a_dropped_connection_is_resumed_with_a_range(
    client: CkanPortal, fake_portal: FakeCkanPortal, tmp_path: Path
) -> None:
    resource = integras_resource(client, BIG)
    fake_portal.faults.drop(DOWNLOAD, after_bytes=400_000)
    result = client.download(resource, tmp_path, max_bytes=MAX_BYTES)
    assert result.path.read_bytes() == real_file("integras", BIG).read_bytes()
    assert result.sha256 == sha256_of(real_file("integras", BIG))
    dropped, resumed = fake_portal.requests_to(DOWNLOAD)
    assert dropped.status == 200 and "range" not in dropped.headers
    offset = int(resumed.headers["range"].removeprefix("bytes=").rstrip("-"))
    assert 0 < offset <= 400_000
    assert resumed.status == 206
    assert resumed.headers["if-range"] == result.etag
    assert leftovers(tmp_path) == []


def test_a_part_left_by_an_earlier_run_is_resumed(fake_portal: FakeCkanPortal, tmp_path: Path) -> None:
    fake_portal.faults.drop(DOWNLOAD, after_bytes=250_000)
    with CkanPortal(fake_portal.base_url, **{**FAST, "max_retries": 0}) as impatient:
        resource = integras_resource(impatient, BIG)
        with pytest.raises(PortalRetryableError):
            impatient.download(resource, tmp_path, max_bytes=MAX_BYTES)
    part = tmp_path / f"{BIG}.part"
    kept = part.stat().st_size
    assert 0 < kept <= 250_000
    with CkanPortal(fake_portal.base_url, **FAST) as client:
        result = client.download(resource, tmp_path, max_bytes=MAX_BYTES)
    assert fake_portal.requests_to(DOWNLOAD)[-1].headers["range"] == f"bytes={kept}-"
    assert result.sha256 == sha256_of(real_file("integras", BIG))
    assert leftovers(tmp_path) == []


def test_a_stale_part_is_restarted_from_zero(
    client: CkanPortal, fake_portal: FakeCkanPortal, tmp_path: Path
) -> None:
    resource = integras_resource(client, "metadados20230515.json")
    (tmp_path / "metadados20230515.json.part").write_bytes(b"x" * 1000)
    (tmp_path / "metadados20230515.json.part.validator").write_text('"an-older-version"')
    result = client.download(resource, tmp_path, max_bytes=MAX_BYTES)
    assert result.sha256 == sha256_of(real_file("integras", "metadados20230515.json"))
    request = fake_portal.requests_to(DOWNLOAD)[-1]
    assert request.headers["range"] == "bytes=1000-" and request.status == 200
    assert leftovers(tmp_path) == []


def test_an_announced_size_over_the_limit_is_refused(
    client: CkanPortal, fake_portal: FakeCkanPortal, tmp_path: Path
) -> None:
    resource = integras_resource(client, BIG)
    with pytest.raises(TooLarge):
        client.download(resource, tmp_path, max_bytes=real_file("integras", BIG).stat().st_size - 1)
    assert list(tmp_path.iterdir()) == []
    assert fake_portal.count(DOWNLOAD) == 1


def test_a_stream_over_the_limit_is_cut_and_its_part_deleted(
    client: CkanPortal, fake_portal: FakeCkanPortal, tmp_path: Path
) -> None:
    resource = integras_resource(client, BIG)
    fake_portal.faults.unsized(DOWNLOAD)
    with pytest.raises(TooLarge):
        client.download(resource, tmp_path, max_bytes=300_000)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_file_is_a_404_without_retries(tmp_path: Path) -> None:
    with (
        serve_ckan_portal(stj_catalog(all_integras_resources=True)) as fake,
        CkanPortal(fake.base_url, **FAST) as client,
    ):
        resource = integras_resource(client, "metadados20220902.json")
        assert not real_file("integras", resource.name).exists()
        with pytest.raises(PortalHttpError) as caught:
            client.download(resource, tmp_path, max_bytes=MAX_BYTES)
        assert caught.value.status == 404 and resource.id in caught.value.url
        assert fake.count(DOWNLOAD) == 1
    assert list(tmp_path.iterdir()) == []

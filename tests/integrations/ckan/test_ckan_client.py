"""CkanPortal against the fake portal over real HTTP: catalogue calls, firewall fallbacks, retries."""

from __future__ import annotations

import json
import time
from itertools import pairwise
from pathlib import Path

import pytest

from jurisgraph.integrations.ckan import (
    KNOWN_SLUGS,
    CkanApiError,
    CkanPortal,
    DatasetNotFound,
    HostThrottle,
    PortalHttpError,
    PortalRetryableError,
)
from tests.fakes.ckan_portal import (
    INTEGRAS_ID,
    INTEGRAS_SLUG,
    PRECEDENTES_ID,
    PRECEDENTES_RESOURCE_IDS,
    PRECEDENTES_SLUG,
    STJ_DATA,
    FakeCkanPortal,
    serve_ckan_portal,
    stj_catalog,
)
from tests.fixtures.ckan import FAST, real_file, real_integras_entries, real_package_list

SHOW = "/api/3/action/package_show"
SEARCH = "/api/3/action/package_search"
LIST = "/api/3/action/package_list"


def test_package_list_is_the_real_listing_asked_for_with_browser_headers(
    client: CkanPortal, fake_portal: FakeCkanPortal
) -> None:
    assert client.package_list() == real_package_list()
    headers = fake_portal.requests_to(LIST)[0].headers
    assert headers["user-agent"].startswith("Mozilla/5.0") and "Chrome/" in headers["user-agent"]
    assert headers["accept-language"].startswith("pt-BR")
    assert "sec-fetch-mode" in headers


def test_the_known_slugs_are_datasets_the_real_portal_lists() -> None:
    assert len(KNOWN_SLUGS) == 13
    assert set(KNOWN_SLUGS) <= set(real_package_list())


def test_package_show_carries_the_real_integras_resources(
    client: CkanPortal, fake_portal: FakeCkanPortal
) -> None:
    package = client.package_show(INTEGRAS_SLUG)
    entries = real_integras_entries()
    dictionary = json.loads(
        (STJ_DATA / "ckan" / "integras_package_show_resource0_dicionario.json").read_text()
    )
    assert package.id == INTEGRAS_ID
    assert package.organization == "superior-tribunal-de-justica"
    assert package.resources[0].id == dictionary["id"]
    assert package.num_resources == len(package.resources) == 5
    for resource in package.resources[1:]:
        entry = entries[resource.name]
        assert (resource.id, resource.last_modified, resource.created, resource.position) == (
            entry["id"],
            entry["last_modified"],
            entry["created"],
            entry["position"],
        )
        assert resource.size == entry["size"] == real_file("integras", resource.name).stat().st_size
        assert resource.format == "JSON"
        assert resource.url == (
            f"{fake_portal.base_url}/dataset/{INTEGRAS_ID}/resource/{resource.id}/download/{resource.name}"
        )


def test_package_show_lists_every_real_resource_entry() -> None:
    with (
        serve_ckan_portal(stj_catalog(all_integras_resources=True)) as fake,
        CkanPortal(fake.base_url, **FAST) as client,
    ):
        package = client.package_show(INTEGRAS_SLUG)
    entries = real_integras_entries()
    assert package.num_resources == len(entries) + 1 == 315
    assert {resource.name for resource in package.resources[1:]} == set(entries)
    assert all(resource.size == entries[resource.name]["size"] for resource in package.resources[1:])


def test_a_bare_client_is_blocked_and_the_search_fallback_answers(fake_portal: FakeCkanPortal) -> None:
    fake_portal.faults.waf = "bare"
    with CkanPortal(fake_portal.base_url, **FAST) as browser:
        expected = browser.package_show(PRECEDENTES_SLUG)
    assert fake_portal.count(SEARCH) == 0
    with CkanPortal(fake_portal.base_url, user_agent="curl/8.5.0", **FAST) as bare:
        package = bare.package_show(PRECEDENTES_SLUG)
    assert package == expected
    assert package.id == PRECEDENTES_ID
    assert {r.name: r.id for r in package.resources} == PRECEDENTES_RESOURCE_IDS
    assert [r.status for r in fake_portal.requests_to(SHOW)] == [200, 403]
    assert fake_portal.requests_to(SEARCH)[0].query["q"] == f"name:{PRECEDENTES_SLUG}"


@pytest.mark.parametrize("waf_status", [403, 200])
def test_package_show_falls_back_when_always_blocked(
    client: CkanPortal, fake_portal: FakeCkanPortal, waf_status: int
) -> None:
    fake_portal.faults.waf = "always"
    fake_portal.faults.waf_status = waf_status
    package = client.package_show(INTEGRAS_SLUG)
    assert package.id == INTEGRAS_ID and package.num_resources == 5
    assert fake_portal.count(SHOW) == 1
    assert fake_portal.count(SEARCH) == 1


def test_package_show_falls_back_after_the_retries_of_a_5xx(fake_portal: FakeCkanPortal) -> None:
    fake_portal.faults.fail(SHOW, 500, times=None)
    with CkanPortal(fake_portal.base_url, **{**FAST, "max_retries": 2}) as client:
        package = client.package_show(PRECEDENTES_ID)
    assert package.name == PRECEDENTES_SLUG
    assert fake_portal.count(SHOW) == 3
    assert fake_portal.requests_to(SEARCH)[0].query["q"] == f"id:{PRECEDENTES_ID}"


def test_an_unknown_dataset_is_not_found_without_retries(
    client: CkanPortal, fake_portal: FakeCkanPortal
) -> None:
    with pytest.raises(DatasetNotFound):
        client.package_show("espelhos-de-acordaos-setima-turma")
    assert fake_portal.count(SHOW) == 1
    assert fake_portal.count(SEARCH) == 1


def test_a_404_is_not_retried_and_names_url_and_status(
    client: CkanPortal, fake_portal: FakeCkanPortal
) -> None:
    with pytest.raises(PortalHttpError) as caught:
        client.action("package_show", id="no-such-dataset")
    assert caught.value.status == 404
    assert "package_show?id=no-such-dataset" in str(caught.value) and "404" in str(caught.value)
    assert "Not found" in str(caught.value)
    assert fake_portal.count(SHOW) == 1


def test_package_list_falls_back_to_the_known_slugs_when_blocked(
    client: CkanPortal, fake_portal: FakeCkanPortal
) -> None:
    fake_portal.faults.waf = "always"
    fake_portal.faults.waf_paths = (LIST,)
    assert client.package_list() == list(KNOWN_SLUGS)
    assert fake_portal.count(LIST) == 1


def test_429_is_retried_honouring_retry_after(fake_portal: FakeCkanPortal) -> None:
    fake_portal.faults.fail(LIST, 429, times=2, retry_after="7")
    sleeps: list[float] = []
    with CkanPortal(fake_portal.base_url, sleep=sleeps.append, **FAST) as client:
        assert client.package_list() == real_package_list()
    assert sleeps == [7.0, 7.0]
    assert [r.status for r in fake_portal.requests_to(LIST)] == [429, 429, 200]


def test_retry_after_is_really_waited(client: CkanPortal, fake_portal: FakeCkanPortal) -> None:
    fake_portal.faults.fail(LIST, 429, times=1, retry_after="1")
    client.package_list()
    first, second = fake_portal.requests_to(LIST)
    assert second.at - first.at >= 0.95


def test_5xx_is_retried_with_bounded_backoff(fake_portal: FakeCkanPortal) -> None:
    fake_portal.faults.fail(LIST, 500, times=1)
    fake_portal.faults.fail(LIST, 503, times=1)
    sleeps: list[float] = []
    with CkanPortal(fake_portal.base_url, sleep=sleeps.append, **FAST) as client:
        assert client.package_list() == real_package_list()
    assert [r.status for r in fake_portal.requests_to(LIST)] == [500, 503, 200]
    assert len(sleeps) == 2 and all(0 < wait <= 0.05 for wait in sleeps)


def test_retries_end_with_a_retryable_error(fake_portal: FakeCkanPortal) -> None:
    fake_portal.faults.fail(LIST, 503, times=None)
    with (
        CkanPortal(fake_portal.base_url, **{**FAST, "max_retries": 2}) as client,
        pytest.raises(PortalRetryableError) as caught,
    ):
        client.action("package_list")
    assert caught.value.status == 503 and fake_portal.base_url in str(caught.value)
    assert fake_portal.count(LIST) == 3


def test_a_ckan_failure_envelope_is_a_clear_error(client: CkanPortal, fake_portal: FakeCkanPortal) -> None:
    envelope = {"success": False, "error": {"__type": "Authorization Error", "message": "Access denied"}}
    fake_portal.faults.fail(LIST, 200, body=json.dumps(envelope).encode(), content_type="application/json")
    with pytest.raises(CkanApiError, match="Authorization Error"):
        client.action("package_list")
    assert fake_portal.count(LIST) == 1


def test_a_timeout_is_retried(fake_portal: FakeCkanPortal) -> None:
    fake_portal.faults.slow(LIST, 1.0, times=1)
    with CkanPortal(fake_portal.base_url, **{**FAST, "timeout_s": 0.3}) as client:
        assert client.package_list() == real_package_list()
    assert fake_portal.count(LIST) == 2


def test_requests_to_one_host_keep_the_interval(fake_portal: FakeCkanPortal, tmp_path: Path) -> None:
    interval = 0.25
    started = time.monotonic()
    with CkanPortal(fake_portal.base_url, **{**FAST, "request_interval_s": interval}) as client:
        client.package_list()
        package = client.package_show(PRECEDENTES_SLUG)
        client.download(package.resources[2], tmp_path, max_bytes=10_000_000)
        client.package_list()
    arrivals = [request.at for request in fake_portal.requests]
    assert len(arrivals) == 4
    assert all(later - earlier >= interval - 0.03 for earlier, later in pairwise(arrivals))
    assert time.monotonic() - started >= 3 * interval


def test_the_throttle_waits_per_host_on_an_injected_clock() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    throttle = HostThrottle(10.0, clock=lambda: now[0], sleep=sleep)
    assert throttle.wait("dadosabertos.web.stj.jus.br") == 0.0
    now[0] += 4.0
    assert throttle.wait("dadosabertos.web.stj.jus.br") == pytest.approx(6.0)
    assert throttle.wait("other.example") == 0.0
    now[0] += 25.0
    assert throttle.wait("dadosabertos.web.stj.jus.br") == 0.0
    assert waits == [pytest.approx(6.0)]

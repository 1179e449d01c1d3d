"""Conjuntos de dados in Chromium against a small real mirror configured as the portal: sync the
catalogue, download one resource, process it, each a job whose progress the page follows."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.db import build_engine, build_sessionmaker, session_scope
from jurisgraph.models import Job
from tests.fixtures.accounts import ADMIN_EMAIL
from tests.fixtures.homes import make_settings
from tests.fixtures.processes import serving
from tests.web.conftest import add_account, sign_in_page

pytestmark = pytest.mark.browser
JOB_TIMEOUT_MS = 180_000


@pytest.fixture
def mirror_server(tmp_path: Path, small_mirror: Path) -> Iterator[str]:
    settings = make_settings(tmp_path / "home")
    settings.app.log_level = "WARNING"
    settings.portal.url = str(small_mirror)
    settings.pipeline.embed_on_start = False
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    add_account(settings.database_url, ADMIN_EMAIL, role="admin")
    with serving(create_app(settings)) as url:
        yield url


def test_sync_download_and_process_a_resource(mirror_server: str, page_1366: Any, screenshots: Path) -> None:
    page = page_1366
    sign_in_page(page, mirror_server)  # sync, download and process are for admins
    page.goto(mirror_server + "/datasets")
    expect(page.locator("#datasets")).to_contain_text("Nenhum dataset")
    page.click("#sync-catalog")
    # the page follows the job and reloads itself when it is over
    dataset = page.locator('details[data-dataset="precedentes-qualificados"]')
    expect(dataset).to_be_attached(timeout=JOB_TIMEOUT_MS)
    if dataset.get_attribute("open") is None:
        dataset.locator("summary").click()
    row = dataset.locator('tr[data-resource]:has(td:text-is("temas.csv"))')
    expect(row.locator("td.status")).to_have_text("pending")

    row.locator("button", has_text="baixar").click()
    expect(row.locator("td.status")).to_have_text("downloaded", timeout=JOB_TIMEOUT_MS)
    others = dataset.locator('tr[data-resource]:has(td:text-is("processos.csv")) td.status')
    expect(others).to_have_text("pending")

    row.locator("button", has_text="processar").click()
    unprocessed = re.compile("^(pending|downloaded)$")
    expect(row.locator("td.status")).not_to_have_text(unprocessed, timeout=JOB_TIMEOUT_MS)
    records = int(row.locator("td.num").nth(1).inner_text())
    assert records > 0
    page.screenshot(path=str(screenshots / "conjuntos-de-dados-recurso.png"))

    jobs = page.request.get(mirror_server + "/api/v1/jobs").json()
    assert {(j["kind"], j["status"]) for j in jobs if j["kind"] != "embed"} == {
        ("sync", "done"),
        ("download", "done"),
        ("process", "done"),
    }
    assert page.problems() == []


def add_job(database_url: str, status: str, kind: str) -> str:
    """A job row in ``status`` (as a run that failed, or a parent waiting for its children, leaves it)."""
    engine = build_engine(database_url)
    job_id = str(uuid.uuid4())
    try:
        with session_scope(build_sessionmaker(engine)) as session:
            session.add(Job(id=job_id, kind=kind, status=status, payload={}, attempts=1, error="boom"))
    finally:
        engine.dispose()
    return job_id


def test_an_admin_retries_a_failed_job_and_cancels_a_waiting_one(
    tmp_path: Path, small_mirror: Path, page_1366: Any
) -> None:
    settings = make_settings(tmp_path / "home")
    settings.app.log_level = "WARNING"
    settings.portal.url = str(small_mirror)
    settings.pipeline.embed_on_start = False
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    add_account(settings.database_url, ADMIN_EMAIL, role="admin")
    failed = add_job(settings.database_url, "failed", "sync")
    waiting = add_job(settings.database_url, "queued", "ingest")
    with serving(create_app(settings)) as url:
        page = page_1366
        sign_in_page(page, url)
        page.goto(url + "/datasets")
        failed_row = page.locator(f'#jobs-table tr[data-job="{failed}"]')
        waiting_row = page.locator(f'#jobs-table tr[data-job="{waiting}"]')
        expect(failed_row.locator("td.status")).to_have_text("failed")
        expect(failed_row.locator("button.job-cancel")).to_have_count(0)
        expect(waiting_row.locator("button.job-retry")).to_have_count(0)

        waiting_row.locator("button.job-cancel").click()
        expect(waiting_row.locator("td.status")).to_have_text("cancelled", timeout=JOB_TIMEOUT_MS)

        failed_row.locator("button.job-retry").click()
        # the sync runs again against the mirror, and the page reloads when it is over
        expect(failed_row.locator("td.status")).to_have_text("done", timeout=JOB_TIMEOUT_MS)
        expect(page.locator('details[data-dataset="precedentes-qualificados"]')).to_be_attached()
        expect(failed_row.locator("td .error")).to_have_count(0)
        assert page.problems() == []


def test_a_user_who_is_no_admin_sees_no_jobs(tmp_path: Path, page_1366: Any) -> None:
    settings = make_settings(tmp_path / "home")
    settings.app.log_level = "WARNING"
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    add_account(settings.database_url, ADMIN_EMAIL, role="user")
    add_job(settings.database_url, "failed", "sync")
    with serving(create_app(settings)) as url:
        sign_in_page(page_1366, url)
        page_1366.goto(url + "/datasets")
        expect(page_1366.locator("#datasets")).to_be_visible()
        expect(page_1366.locator("#jobs-table")).to_have_count(0)

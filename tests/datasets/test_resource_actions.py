"""Catalogue sync, per-resource download and processing as jobs (``/api/v1/datasets/sync``,
``/api/v1/resources/{id}/download|process``), the jobs list, the dashboard figures, and the pipeline
log's filters and pages, through the real app on a small real mirror configured as the portal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jurisgraph import migrations
from jurisgraph.app import create_app
from tests.fixtures.accounts import sign_in
from tests.fixtures.homes import make_settings
from tests.fixtures.mirrors import PRECEDENTES

JOB_TIMEOUT_S = 300


@pytest.fixture
def api(tmp_path: Path, small_mirror: Path) -> Iterator[TestClient]:
    """The real app on an empty home whose configured portal is the small mirror (sparse only)."""
    settings = make_settings(tmp_path / "home")
    settings.app.log_level = "WARNING"
    settings.portal.url = str(small_mirror)
    settings.pipeline.embed_on_start = False
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings)) as client:
        yield sign_in(client)  # sync, downloads, processing and jobs are admin-only


def finished(api: TestClient, job_id: str) -> dict[str, Any]:
    api.app.state.container.jobs().wait(job_id, timeout=JOB_TIMEOUT_S)  # type: ignore[attr-defined]
    body: dict[str, Any] = api.get(f"/api/v1/jobs/{job_id}").json()
    return body


def resource(api: TestClient, name: str) -> dict[str, Any]:
    rows: list[dict[str, Any]] = api.get(f"/api/v1/datasets/{PRECEDENTES}/resources").json()
    return next(r for r in rows if r["name"] == name)


def test_sync_then_download_then_process_one_resource(api: TestClient, small_mirror: Path) -> None:
    sync = api.post("/api/v1/datasets/sync")
    assert sync.status_code == 202
    synced = finished(api, sync.json()["job_id"])
    assert (synced["kind"], synced["status"], synced["error"]) == ("sync", "done", None)
    assert synced["result"]["resources"] > 0
    temas = resource(api, "temas.csv")
    assert temas["status"] == "pending" and temas["records"] in (0, None)

    download = api.post(f"/api/v1/resources/{temas['id']}/download")
    assert download.status_code == 202
    fetched = finished(api, download.json()["job_id"])
    assert (fetched["kind"], fetched["status"], fetched["payload"]) == (
        "download",
        "done",
        {"resource": temas["id"]},
    )
    assert fetched["result"]["downloaded"] == 1
    assert resource(api, "temas.csv")["status"] == "downloaded"
    # only that resource: the other one of the dataset was not touched
    assert resource(api, "processos.csv")["status"] == "pending"

    process = api.post(f"/api/v1/resources/{temas['id']}/process", json={})
    assert process.status_code == 202
    processed = finished(api, process.json()["job_id"])
    assert (processed["kind"], processed["status"], processed["error"]) == ("process", "done", None)
    after = resource(api, "temas.csv")
    assert after["records"] > 0 and after["entities"] > 0 and after["status"] not in ("pending", "downloaded")
    assert resource(api, "processos.csv")["records"] in (0, None)

    jobs = api.get("/api/v1/jobs").json()
    mine = {j["id"] for j in jobs if j["kind"] in ("sync", "download", "process")}
    assert mine == {process.json()["job_id"], download.json()["job_id"], sync.json()["job_id"]}
    # newest first (job times are kept to the second)
    assert [j["created_at"] for j in jobs] == sorted((j["created_at"] for j in jobs), reverse=True)
    assert [j for j in api.get("/api/v1/jobs", params={"active": True}).json() if j["kind"] != "embed"] == []

    stats = api.get("/api/v1/stats").json()
    assert stats["counts"]["documents"] == after["records"]
    assert stats["llm"]["calls"] == 0 and stats["llm"]["cost_usd"] == 0


def test_actions_on_an_unknown_resource_are_404(api: TestClient) -> None:
    for action in ("download", "process"):
        response = api.post(f"/api/v1/resources/no-such-resource/{action}")
        assert response.status_code == 404
        assert response.json()["error"] == "not_found" and "no-such-resource" in response.json()["detail"]
    assert api.get("/api/v1/jobs").json() == []


def test_jobs_list_bounds(api: TestClient) -> None:
    assert api.get("/api/v1/jobs", params={"limit": 0}).status_code == 422
    assert api.get("/api/v1/jobs", params={"limit": 201}).status_code == 422

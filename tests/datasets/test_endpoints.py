"""``/api/v1/datasets``, a dataset's resources, ``/api/v1/extraction-logs``, ``/api/v1/ingest`` and
``/api/v1/jobs/{id}`` through the real app.

Reads run on the shared sample; the ingestion runs on a private home with a small real mirror,
dense vectors going to the local OpenAI-protocol server (the bundled model would take most of the
time). Expected values come from the sample's ``catalog.json`` and the mirror's own files."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.jobs import registry
from tests.fakes.openai_server import EMBEDDINGS, FakeOpenAIServer
from tests.fixtures.accounts import sign_in
from tests.fixtures.homes import make_settings
from tests.fixtures.mirrors import PRECEDENTES, records_in, sample_catalog

DIM = 64
#: How long a job on the small mirror may take before the test gives up (it needs ~2 s idle).
JOB_TIMEOUT_S = 300


def catalogue() -> dict[str, list[str]]:
    """Resource names per dataset slug in the sample's catalogue."""
    return {p["name"]: sorted(r["name"] for r in p["resources"]) for p in sample_catalog()["packages"]}


def test_datasets_list_every_dataset_of_the_catalogue(
    sample_api: TestClient, sample_user: dict[str, str]
) -> None:
    response = sample_api.get("/api/v1/datasets", headers=sample_user)
    assert response.status_code == 200
    listed = {d["slug"]: d for d in response.json()}
    assert set(listed) == set(catalogue())
    for slug, names in catalogue().items():
        assert listed[slug]["title"]
        assert sum(listed[slug]["statuses"].values()) == len(names), slug


def test_resources_of_a_dataset(sample_api: TestClient, sample_user: dict[str, str]) -> None:
    response = sample_api.get(f"/api/v1/datasets/{PRECEDENTES}/resources", headers=sample_user)
    assert response.status_code == 200
    resources = {r["name"]: r for r in response.json()}
    assert sorted(resources) == catalogue()[PRECEDENTES]
    temas = resources["temas.csv"]
    assert temas["records"] > 0 and temas["entities"] > 0 and temas["error"] is None
    assert len(temas["sha256"]) == 64 and temas["size"] > 0


def test_resources_of_an_unknown_dataset_is_404(sample_api: TestClient, sample_user: dict[str, str]) -> None:
    response = sample_api.get("/api/v1/datasets/no-such-dataset/resources", headers=sample_user)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found" and "no-such-dataset" in response.json()["detail"]


def test_extraction_logs_newest_first(sample_api: TestClient, sample_user: dict[str, str]) -> None:
    logs = sample_api.get("/api/v1/extraction-logs", params={"limit": 5}, headers=sample_user).json()
    assert len(logs) == 5
    assert [entry["id"] for entry in logs] == sorted((entry["id"] for entry in logs), reverse=True)
    assert {"action", "status", "dataset", "resource", "created_at"} <= set(logs[0])
    too_few = sample_api.get("/api/v1/extraction-logs", params={"limit": 0}, headers=sample_user)
    assert too_few.status_code == 422


def test_unknown_job_is_404(sample_api: TestClient, sample_admin: dict[str, str]) -> None:
    response = sample_api.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000", headers=sample_admin)
    assert response.status_code == 404


@pytest.fixture
def embeddings() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(dim=DIM) as server:
        yield server


@pytest.fixture
def api(tmp_path: Path, embeddings: FakeOpenAIServer, small_mirror: Path) -> Iterator[TestClient]:
    """The real app on an empty private home whose dense vectors go to the local server and
    whose configured portal is the small mirror folder."""
    settings = make_settings(
        tmp_path / "home",
        JURISGRAPH_PORTAL_URL=str(small_mirror),
        JURISGRAPH_EMBEDDING_PROVIDER="openai",
        JURISGRAPH_EMBEDDING_BASE_URL=embeddings.base_url,
        JURISGRAPH_EMBEDDING_DIM=str(DIM),
        OPENAI_API_KEY=embeddings.api_key,
    )
    settings.app.log_level = "WARNING"
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    with TestClient(create_app(settings)) as client:
        yield sign_in(client)  # ingestion and jobs are admin-only


def finished(api: TestClient, job_id: str) -> dict[str, Any]:
    """The job's state once it has ended."""
    api.app.state.container.jobs().wait(job_id, timeout=JOB_TIMEOUT_S)  # type: ignore[attr-defined]
    response = api.get(f"/api/v1/jobs/{job_id}")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_ingest_a_mirror_then_read_its_job_and_catalogue(
    api: TestClient, small_mirror: Path, embeddings: FakeOpenAIServer
) -> None:
    assert api.get("/api/v1/datasets").json() == []
    response = api.post("/api/v1/ingest", json={})
    assert response.status_code == 202
    job_id = response.json()["job_id"]

    job = finished(api, job_id)
    assert (job["id"], job["kind"], job["status"], job["error"]) == (job_id, "ingest", "done", None)
    assert job["payload"]["portal"] is None and job["finished_at"]
    assert job["result"]["problems"] == []
    assert job["result"]["documents"] == records_in(small_mirror)
    assert job["result"]["nodes"] > 0 and job["result"]["edges"] > 0

    embed = finished(api, job["result"]["embedding_job"])
    assert (embed["kind"], embed["status"]) == ("embed", "done")
    assert embed["result"]["dense_points"] > 0 and embeddings.requests(EMBEDDINGS)

    mirrored = json.loads((small_mirror / "catalog.json").read_text(encoding="utf-8"))
    listed = {d["slug"] for d in api.get("/api/v1/datasets").json()}
    assert listed == {p["name"] for p in mirrored["packages"]}
    names = {r["name"] for r in api.get(f"/api/v1/datasets/{PRECEDENTES}/resources").json()}
    assert names == {"temas.csv", "processos.csv"}


def test_ingest_rejects_a_malformed_request(api: TestClient) -> None:
    assert api.post("/api/v1/ingest", json={"force": "sometimes"}).status_code == 422
    assert api.post("/api/v1/ingest", content=b"not json").status_code == 422


@pytest.mark.parametrize("portal", ["/etc", "../../var", "file:///etc/passwd", "C:\\dados", "ftp://x.org/"])
def test_ingest_refuses_a_folder_or_another_scheme_with_422(api: TestClient, portal: str) -> None:
    response = api.post("/api/v1/ingest", json={"portal": portal})
    assert response.status_code == 422 and response.json()["error"] == "invalid_input"
    assert "folder" in response.json()["detail"]


def test_ingest_refuses_a_url_off_the_allowed_list_with_403(api: TestClient) -> None:
    response = api.post("/api/v1/ingest", json={"portal": "https://evil.example/api"})
    assert response.status_code == 403 and response.json()["error"] == "forbidden"


def test_ingest_refuses_unknown_fields(api: TestClient) -> None:
    assert api.post("/api/v1/ingest", json={"folder": "/etc"}).status_code == 422


def test_too_many_ingestion_jobs_is_429(api: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = api.app.state.container.jobs()  # type: ignore[attr-defined]
    release = threading.Event()
    # ingestion jobs that hold their place until released (the registry's handler, replaced here)
    monkeypatch.setitem(registry._HANDLERS, "ingest", lambda *args: release.wait(30) and {})
    blockers = [
        jobs.submit("ingest", {}, max_active=10)
        for _ in range(api.app.state.container.settings.pipeline.max_queued_jobs)  # type: ignore[attr-defined]
    ]
    try:
        response = api.post("/api/v1/ingest", json={"sample": True})
        assert response.status_code == 429 and response.json()["error"] == "too_many_jobs"
    finally:
        release.set()
    for job_id in blockers:
        jobs.wait(job_id, timeout=30)
    assert jobs.active("ingest") == 0


def test_cancel_then_retry_a_job_over_the_api(api: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    container = api.app.state.container  # type: ignore[attr-defined]
    release = threading.Event()
    runs: list[str] = []

    def blocked(context: Any, job_id: str, payload: dict[str, Any], progress: Any) -> dict[str, Any]:
        runs.append(job_id)
        release.wait(30)
        return {"run": len(runs)}

    monkeypatch.setitem(registry._HANDLERS, "sync", blocked)
    job_id = api.post("/api/v1/datasets/sync").json()["job_id"]
    cancelled = api.post(f"/api/v1/jobs/{job_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 409
    release.set()
    container.jobs().wait(job_id, timeout=JOB_TIMEOUT_S)
    assert api.get(f"/api/v1/jobs/{job_id}").json()["status"] == "cancelled"
    retried = api.post(f"/api/v1/jobs/{job_id}/retry")
    assert retried.status_code == 202 and retried.json()["previous_status"] == "cancelled"
    body = finished(api, job_id)
    assert body["status"] == "done" and body["result"] == {"run": len(runs)} and body["attempts"] >= 1
    assert api.post(f"/api/v1/jobs/{job_id}/retry").status_code == 409  # done: nothing to retry
    assert api.post("/api/v1/jobs/no-such-job/retry").status_code == 404
    sign_in(api, "reader@example.org", role="user")  # admins only
    assert api.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 403
    assert api.post(f"/api/v1/jobs/{job_id}/retry").status_code == 403

"""``POST /api/v1/communities/build``: an admin's job that rebuilds the corpus's communities, within
the per-requester cap on queued jobs, through the real app on its own ingested sample."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from jurisgraph.app import create_app
from jurisgraph.db import session_scope
from jurisgraph.jobs import registry
from tests.fixtures.accounts import add_user, bearer, error_code
from tests.fixtures.sample import Sample

JOB_TIMEOUT_S = 300


@pytest.fixture
def api(own_sample: Sample) -> Iterator[TestClient]:
    """The real app serving this test's own sample container."""
    app = create_app(own_sample.settings)
    with TestClient(app) as client:
        own = app.state.container
        app.state.container = own_sample.container
        try:
            yield client
        finally:
            app.state.container = own


def test_build_replaces_the_communities_in_a_job(api: TestClient, own_sample: Sample) -> None:
    admin = bearer(own_sample.container, "builder@example.org", role="admin")
    assert own_sample.rows("SELECT COUNT(*) FROM communities")[0][0] > 0  # ingested with communities
    with session_scope(own_sample.container.sessions) as session:
        session.execute(text("DELETE FROM communities"))
    assert own_sample.rows("SELECT COUNT(*) FROM communities")[0][0] == 0
    response = api.post("/api/v1/communities/build", headers=admin)
    assert response.status_code == 202
    job_id = response.json()["job_id"]
    own_sample.container.jobs().wait(job_id, timeout=JOB_TIMEOUT_S)
    job: dict[str, Any] = api.get(f"/api/v1/jobs/{job_id}", headers=admin).json()
    assert (job["kind"], job["status"], job["error"]) == ("communities", "done", None)
    stored = own_sample.rows(
        "SELECT COUNT(*) FROM communities WHERE workspace_id = :w", w=own_sample.workspace
    )
    assert job["result"]["communities"] == stored[0][0] > 0
    listed = api.get("/api/v1/graph/communities", params={"limit": 500}, headers=admin).json()
    assert len(listed) == min(500, stored[0][0])


def test_build_is_admin_only_and_capped_per_requester(
    api: TestClient, own_sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert api.post("/api/v1/communities/build").status_code == 401
    user = bearer(own_sample.container, "reader@example.org", role="user")
    assert api.post("/api/v1/communities/build", headers=user).status_code == 403
    admin_id = add_user(own_sample.container, "busy@example.org", role="admin")
    admin = bearer(own_sample.container, "busy@example.org", role="admin")
    cap = own_sample.settings.pipeline.max_queued_jobs_per_user
    release = threading.Event()

    def hold(context: Any, job_id: str, payload: dict[str, Any], progress: Any) -> dict[str, Any]:
        release.wait(30)
        return {}

    monkeypatch.setitem(registry._HANDLERS, "communities", hold)  # communities jobs that wait
    jobs = own_sample.container.jobs()
    held = [jobs.submit("communities", {}, user_id=admin_id) for _ in range(cap)]
    try:
        refused = api.post("/api/v1/communities/build", headers=admin)
        assert refused.status_code == 429, refused.text
        assert error_code(refused) == "too_many_jobs"
    finally:
        release.set()
        for job_id in held:
            jobs.wait(job_id, timeout=30)

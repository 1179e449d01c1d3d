"""``GET /api/v1/vectors/stats`` (admin) through the real app on the shared sample: the collections
the embedded store holds, with the point counts the store reports and the live alias marked."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.fixtures.sample import Sample


def test_vector_stats_for_admins_only(
    sample_api: TestClient, sample: Sample, sample_admin: dict[str, str], sample_user: dict[str, str]
) -> None:
    assert sample_api.get("/api/v1/vectors/stats").status_code == 401
    assert sample_api.get("/api/v1/vectors/stats", headers=sample_user).status_code == 403
    response = sample_api.get("/api/v1/vectors/stats", headers=sample_admin)
    assert response.status_code == 200
    rows = response.json()
    index = sample.container.vector_index()
    assert [r["name"] for r in rows] == sorted(index.list_collections())
    assert all(r["points"] == index.count(r["name"]) for r in rows)
    live = [r for r in rows if r["live"]]
    chunks = next(r for r in live if r["kind"] == "chunks")
    stored = sample.rows("SELECT COUNT(*) FROM chunks WHERE workspace_id = :w", w=sample.workspace)[0][0]
    assert chunks["points"] == stored > 0  # every chunk of the sample is indexed (sparse first)
    assert "chunks" in chunks["aliases"]


def test_vector_stats_pages(sample_api: TestClient, sample_admin: dict[str, str]) -> None:
    every = sample_api.get("/api/v1/vectors/stats", headers=sample_admin).json()
    assert len(every) >= 2
    second = sample_api.get("/api/v1/vectors/stats", params={"limit": 1, "offset": 1}, headers=sample_admin)
    assert second.json() == every[1:2]
    assert (
        sample_api.get("/api/v1/vectors/stats", params={"limit": 0}, headers=sample_admin).status_code == 422
    )

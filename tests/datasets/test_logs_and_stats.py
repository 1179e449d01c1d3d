"""The pipeline log's filters and pages and the dashboard figures, on the shared sample."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.fixtures.sample import Sample

Get = Callable[..., Response]


@pytest.fixture
def get(sample_api: TestClient, sample_user: dict[str, str]) -> Get:
    """GET on the shared sample's API as a signed-in user (logs and stats need one)."""
    return lambda path, **kwargs: sample_api.get(path, headers=sample_user, **kwargs)


def test_extraction_logs_filter_by_action_status_and_dataset(get: Get, sample: Sample) -> None:
    (action, count), *_ = sample.rows(
        "select action, count(*) from extraction_logs group by action order by count(*) desc"
    )
    response = get("/api/v1/extraction-logs", params={"action": action, "limit": 500})
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == count and {r["action"] for r in rows} == {action}
    assert int(response.headers["X-Total-Count"]) == count
    (slug, per_slug), *_ = sample.rows(
        "select dataset_slug, count(*) from extraction_logs where dataset_slug is not null "
        "and status = 'completed' group by dataset_slug order by dataset_slug"
    )
    rows = get(
        "/api/v1/extraction-logs", params={"dataset": slug, "status": "completed", "limit": 500}
    ).json()
    assert len(rows) == per_slug and {(r["dataset"], r["status"]) for r in rows} == {(slug, "completed")}
    assert get("/api/v1/extraction-logs", params={"action": "no-such-action"}).json() == []


def test_extraction_logs_pages_do_not_overlap(get: Get, sample: Sample) -> None:
    [(total,)] = sample.rows("select count(*) from extraction_logs")
    assert total > 4
    first = get("/api/v1/extraction-logs", params={"limit": 2, "offset": 0})
    second = get("/api/v1/extraction-logs", params={"limit": 2, "offset": 2}).json()
    assert int(first.headers["X-Total-Count"]) == total
    ids = [r["id"] for r in first.json()] + [r["id"] for r in second]
    assert len(set(ids)) == 4 and ids == sorted(ids, reverse=True)
    assert get("/api/v1/extraction-logs", params={"offset": -1}).status_code == 422


def test_dashboard_stats_count_the_corpus(get: Get, sample: Sample) -> None:
    body = get("/api/v1/stats").json()
    [(documents, chunks)] = sample.rows(
        "select (select count(*) from documents), (select count(*) from chunks)"
    )
    assert (body["counts"]["documents"], body["counts"]["chunks"]) == (documents, chunks)
    assert body["llm"]["days"] == 30 and body["llm"]["calls"] >= 0
    assert isinstance(body["jobs"], list)


def test_edge_stats_count_edges_by_type(get: Get, sample: Sample) -> None:
    expected = dict(
        sample.rows("select relationship_type, count(*) from graph_edges group by relationship_type")
    )
    assert get("/api/v1/graph/stats/edges").json() == expected

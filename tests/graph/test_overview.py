"""``/api/v1/graph/overview`` (visualisation data for the graph page) through the real app on the
shared sample: the most mentioned nodes and the edges among them, checked against plain SQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.fixtures.sample import Sample


def test_overview_is_the_most_mentioned_nodes_and_the_edges_among_them(
    sample_api: TestClient, sample: Sample
) -> None:
    response = sample_api.get("/api/v1/graph/overview", params={"limit": 25})
    assert response.status_code == 200
    body = response.json()
    top = sample.rows(
        "SELECT entity_id FROM graph_nodes WHERE workspace_id = :w"
        " ORDER BY mention_count DESC, entity_id LIMIT 25",
        w=sample.workspace,
    )
    assert [n["id"] for n in body["nodes"]] == [r[0] for r in top]
    keys = {n["id"] for n in body["nodes"]}
    among = sample.rows(
        "SELECT edge_id, source_entity_id, target_entity_id FROM graph_edges WHERE workspace_id = :w",
        w=sample.workspace,
    )
    expected = {e for e, s, t in among if s in keys and t in keys}
    assert expected, "the sample's top nodes are linked"
    assert {e["id"] for e in body["edges"]} == expected
    assert all(e["source"] in keys and e["target"] in keys for e in body["edges"])
    weights = [e["weight"] for e in body["edges"]]
    assert weights == sorted(weights, reverse=True)


def test_overview_filters_by_type_and_caps_edges(sample_api: TestClient, sample: Sample) -> None:
    temas = sample_api.get("/api/v1/graph/overview", params={"type": "TEMA", "limit": 10}).json()
    count = sample.rows(
        "SELECT COUNT(*) FROM graph_nodes WHERE workspace_id = :w AND entity_type = 'TEMA'",
        w=sample.workspace,
    )[0][0]
    assert len(temas["nodes"]) == min(10, count) > 0
    assert {n["type"] for n in temas["nodes"]} == {"TEMA"}
    capped = sample_api.get("/api/v1/graph/overview", params={"limit": 50, "edge_limit": 2}).json()
    assert len(capped["nodes"]) == 50 and len(capped["edges"]) <= 2
    assert sample_api.get("/api/v1/graph/overview", params={"edge_limit": 0}).json()["edges"] == []


def test_overview_bounds(sample_api: TestClient) -> None:
    bad = ({"limit": 0}, {"limit": 1001}, {"edge_limit": -1}, {"edge_limit": 5001}, {"type": "x" * 65})
    for params in bad:
        response = sample_api.get("/api/v1/graph/overview", params=params)
        assert response.status_code == 422, params
        assert set(response.json()) >= {"error", "detail"}

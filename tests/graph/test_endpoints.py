"""``/api/v1/graph/*`` through the real app on the shared sample: entities, an entity's detail and
neighbourhood, communities, counts; unknown ids are 404 and out-of-range parameters 422.

Expected facts come from the sample's own files (temas.csv, processos.csv) or from plain SQL over
the stored rows, never from the graph service under test."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.mirrors import read_csv
from tests.fixtures.paths import SAMPLE
from tests.fixtures.sample import Sample, sample_tema

TEMA = "tema:1076"


def leading_case(number: str) -> str:
    """The canonical key of a tema's leading case, read from the sample's processos.csv."""
    rows = read_csv(SAMPLE / "precedentes-qualificados" / "processos.csv")
    found = [
        r
        for r in rows
        if r["tipoPrecedente"] == "Tema" and r["numeroPrecedente"] == number and r["leadingCase"] == "S"
    ]
    assert len(found) == 1
    return "processo:" + "_".join(found[0]["Processo"].lower().split())


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    return body


def test_entities_by_name_fragment_and_type(sample_api: TestClient) -> None:
    response = sample_api.get("/api/v1/graph/entities", params={"q": "1.076", "type": "TEMA"})
    assert response.status_code == 200
    found = response.json()
    assert TEMA in [e["id"] for e in found]
    assert all(e["type"] == "TEMA" for e in found)
    tema = next(e for e in found if e["id"] == TEMA)
    assert tema["name"] == "Tema 1.076/STJ" and tema["mention_count"] >= 1
    for key in ("description", "community_id", "community_level", "attributes"):
        assert key in tema


def test_entities_limit_and_validation(sample_api: TestClient) -> None:
    assert len(sample_api.get("/api/v1/graph/entities", params={"type": "TEMA", "limit": 3}).json()) == 3
    assert sample_api.get("/api/v1/graph/entities", params={"limit": 0}).status_code == 422
    assert sample_api.get("/api/v1/graph/entities", params={"limit": 501}).status_code == 422
    assert sample_api.get("/api/v1/graph/entities", params={"q": "x" * 201}).status_code == 422
    assert sample_api.get("/api/v1/graph/entities", params={"type": "NO_SUCH_TYPE"}).json() == []


def test_entity_detail_has_relations_and_sources(sample_api: TestClient) -> None:
    response = sample_api.get(f"/api/v1/graph/entities/{TEMA}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == TEMA and body["type"] == "TEMA"
    case = leading_case("1076")
    leading = [r for r in body["relations"] if r["type"] == "LEADING_CASE_DE"]
    assert [(r["source"], r["target"]) for r in leading] == [(case, TEMA)]
    assert leading[0]["target_name"] == "Tema 1.076/STJ" and leading[0]["source_name"]
    assert TEMA in {s["document"] for s in body["sources"]}
    own = next(s for s in body["sources"] if s["document"] == TEMA)
    # temas.csv abbreviates the órgão ("CE"); documents carry its full name
    assert (sample_tema(1076)["orgaoJulgador"].strip(), own["orgao_julgador"]) == ("CE", "CORTE ESPECIAL")
    assert own["excerpt"] and own["source_url"]


def test_entity_detail_of_an_unknown_entity_is_404(sample_api: TestClient) -> None:
    response = sample_api.get("/api/v1/graph/entities/tema:999999")
    assert response.status_code == 404
    assert error(response)["error"] == "not_found" and "tema:999999" in error(response)["detail"]


def test_neighbourhood_holds_the_centre_and_its_leading_case(sample_api: TestClient) -> None:
    response = sample_api.get(f"/api/v1/graph/entities/{TEMA}/neighbourhood", params={"depth": 1})
    assert response.status_code == 200
    body = response.json()
    ids = {n["id"] for n in body["nodes"]}
    assert body["center"] == TEMA and {TEMA, leading_case("1076")} <= ids
    assert body["edges"] and all(e["source"] in ids and e["target"] in ids for e in body["edges"])
    assert all(TEMA in (e["source"], e["target"]) for e in body["edges"])
    wider = sample_api.get(f"/api/v1/graph/entities/{TEMA}/neighbourhood", params={"depth": 2}).json()
    assert ids <= {n["id"] for n in wider["nodes"]}
    small = sample_api.get(f"/api/v1/graph/entities/{TEMA}/neighbourhood", params={"limit": 3}).json()
    assert len(small["nodes"]) <= 3


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/graph/entities/tema:999999/neighbourhood", 404),
        (f"/api/v1/graph/entities/{TEMA}/neighbourhood?depth=4", 422),
        (f"/api/v1/graph/entities/{TEMA}/neighbourhood?depth=0", 422),
        ("/api/v1/graph/communities/no-such-community", 404),
        ("/api/v1/graph/communities?level=-1", 422),
    ],
)
def test_unknown_ids_and_bad_parameters(sample_api: TestClient, path: str, status: int) -> None:
    assert sample_api.get(path).status_code == status


def test_communities_ranked_and_filtered_by_level(sample_api: TestClient, sample: Sample) -> None:
    response = sample_api.get("/api/v1/graph/communities", params={"limit": 500})
    assert response.status_code == 200
    listed = response.json()
    stored = sample.rows("SELECT community_id, level FROM communities")
    assert len(listed) == min(500, len(stored)) > 0
    ranks = [c["rank"] for c in listed]
    assert ranks == sorted(ranks, reverse=True)
    levels = {level for _, level in stored}
    for level in levels:
        at_level = sample_api.get("/api/v1/graph/communities", params={"level": level, "limit": 500}).json()
        assert at_level and {c["level"] for c in at_level} == {level}
        assert len(at_level) == min(500, sum(1 for _, lv in stored if lv == level))


def test_community_detail_lists_its_members(sample_api: TestClient, sample: Sample) -> None:
    [(community_id,)] = sample.rows("SELECT community_id FROM graph_nodes WHERE entity_id = :id", id=TEMA)
    assert community_id
    response = sample_api.get(f"/api/v1/graph/communities/{community_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == community_id and body["title"] and body["report"]
    members = {m["id"] for m in body["members"]}
    assert TEMA in members
    assert body["entity_count"] >= len(members) > 0


def test_stats_count_every_entity_type(sample_api: TestClient, sample: Sample) -> None:
    response = sample_api.get("/api/v1/graph/stats")
    assert response.status_code == 200
    expected = Counter(
        {
            kind: n
            for kind, n in sample.rows("SELECT entity_type, COUNT(*) FROM graph_nodes GROUP BY entity_type")
        }
    )
    assert response.json() == dict(expected)
    temas = {
        r["numeroPrecedente"]
        for r in read_csv(SAMPLE / "precedentes-qualificados" / "temas.csv")
        if r["tipoPrecedente"] == "Tema"
    }
    assert response.json()["TEMA"] >= len(temas)

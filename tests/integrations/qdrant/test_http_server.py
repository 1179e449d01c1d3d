"""The Qdrant-protocol test server beyond the contract: restarts, snapshots, error shapes, shared folders.

Points are real temas (``temas`` fixture) with seeded dense vectors and BM25 sparse vectors;
expected values come from those points, never from the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from qdrant_client import QdrantClient
from qdrant_client.http.exceptions import UnexpectedResponse

from jurisgraph.engine.vectors import VectorPoint
from jurisgraph.errors import InvalidInput, NotFound, RetryableUpstreamError, UpstreamError
from jurisgraph.integrations.qdrant.edge import EdgeVectorIndex
from jurisgraph.integrations.qdrant.server import ServerVectorIndex
from jurisgraph.kit.retry import RetryPolicy
from tests.fakes.protocol_server import Reply
from tests.fakes.qdrant_server import QdrantServer
from tests.fakes.qdrant_store import ApiError
from tests.fixtures.qdrant import qdrant_process
from tests.fixtures.vectors import SPEC, Tema, tema_points

NO_RETRY = RetryPolicy(max_retries=0)


def _index(server: QdrantServer) -> ServerVectorIndex:
    return ServerVectorIndex(url=server.url, retry=NO_RETRY)


def _by_id(index: ServerVectorIndex | EdgeVectorIndex, target: str) -> dict[str, VectorPoint]:
    return {p.id: p for p in index.scroll(target)}


def _assert_same(got: dict[str, VectorPoint], want: list[VectorPoint]) -> None:
    assert sorted(got) == sorted(p.id for p in want)
    for point in want:
        stored = got[point.id]
        assert stored.payload == point.payload
        assert point.dense is not None and stored.dense is not None
        unit = np.asarray(point.dense) / np.linalg.norm(point.dense)
        np.testing.assert_allclose(np.asarray(stored.dense), unit, atol=1e-6)
        assert stored.sparse is not None and point.sparse is not None
        assert list(stored.sparse.indices) == list(point.sparse.indices)


def test_a_restarted_server_keeps_points_aliases_and_indexes(tmp_path: Path, temas: list[Tema]) -> None:
    points = tema_points(temas[:60])
    with QdrantServer(tmp_path) as server, _index(server) as index:
        index.ensure_collection(SPEC)
        index.upsert(SPEC, points)
        index.set_alias("chunks", SPEC)
    with QdrantServer(tmp_path) as again, _index(again) as index:
        assert index.aliases() == {"chunks": SPEC.name}
        assert index.count("chunks") == len(points)
        assert index.ensure_collection(SPEC) is False
        _assert_same(_by_id(index, "chunks"), points)
        schema = (
            QdrantClient(url=again.url, check_compatibility=False).get_collection(SPEC.name).payload_schema
        )
        assert schema["workspace_id"].params is not None
        assert {"workspace_id", "orgao_julgador"} <= set(schema)


def test_the_folder_is_the_embedded_adapters_layout(tmp_path: Path, temas: list[Tema]) -> None:
    points = tema_points(temas[:40])
    with EdgeVectorIndex(tmp_path) as embedded:
        embedded.ensure_collection(SPEC)
        embedded.upsert(SPEC, points)
        embedded.set_alias("chunks", SPEC)
    with QdrantServer(tmp_path) as server, _index(server) as index:
        _assert_same(_by_id(index, "chunks"), points)
        index.upsert(SPEC, tema_points(temas[40:50]))
    with EdgeVectorIndex(tmp_path) as embedded:
        assert embedded.count("chunks") == 50


def test_snapshots_create_list_download_and_recover(tmp_path: Path, temas: list[Tema]) -> None:
    points = tema_points(temas[:80])
    with QdrantServer(tmp_path / "a") as source, _index(source) as index:
        index.ensure_collection(SPEC)
        index.upsert(SPEC, points)
        client = QdrantClient(url=source.url, check_compatibility=False)
        snapshot = client.create_snapshot(SPEC.name, wait=True)
        assert snapshot is not None and snapshot.size > 0
        index.delete(SPEC, [p.id for p in points[:30]])  # after the snapshot: not in it
        assert [s.name for s in client.list_snapshots(SPEC.name)] == [snapshot.name]
        download = httpx.get(f"{source.url}/collections/{SPEC.name}/snapshots/{snapshot.name}")
        assert download.status_code == 200 and len(download.content) == snapshot.size
        file = tmp_path / snapshot.name
        file.write_bytes(download.content)
        assert index.count(SPEC) == len(points) - 30
        client.close()

    with QdrantServer(tmp_path / "b") as target, _index(target) as index:
        upload = httpx.post(
            f"{target.url}/collections/{SPEC.name}/snapshots/upload",
            params={"wait": "true", "checksum": snapshot.checksum},
            files={"snapshot": (snapshot.name, file.read_bytes(), "application/octet-stream")},
        )
        assert upload.json()["result"] is True, upload.text
        _assert_same(_by_id(index, SPEC.name), points)
        hit = index.search_dense(SPEC, points[7].dense if points[7].dense is not None else [], limit=1)
        assert hit[0].id == points[7].id

        client = QdrantClient(url=target.url, check_compatibility=False)
        assert client.recover_snapshot("restored", file.as_uri(), wait=True) is True
        assert index.count("restored") == len(points)
        with pytest.raises(UnexpectedResponse) as bad:
            client.recover_snapshot("restored", file.as_uri(), checksum="0" * 64, wait=True)
        assert bad.value.status_code == 400 and "checksum" in bad.value.content.decode()
        client.close()


def test_snapshot_of_a_missing_collection_and_deletion(
    qdrant_server: QdrantServer, temas: list[Tema]
) -> None:
    client = QdrantClient(url=qdrant_server.url, check_compatibility=False)
    with pytest.raises(UnexpectedResponse) as missing:
        client.create_snapshot("nothing-here")
    assert missing.value.status_code == 404
    with _index(qdrant_server) as index:
        index.ensure_collection(SPEC)
        index.upsert(SPEC, tema_points(temas[:5]))
    first = client.create_snapshot(SPEC.name)
    assert first is not None
    assert client.delete_snapshot(SPEC.name, first.name) is True
    assert client.list_snapshots(SPEC.name) == []
    client.close()


def test_errors_have_qdrants_status_and_shape(qdrant_server: QdrantServer, temas: list[Tema]) -> None:
    url = qdrant_server.url
    reply = httpx.get(f"{url}/collections/absent")
    assert reply.status_code == 404
    assert reply.json()["status"]["error"] == "Not found: Collection `absent` doesn't exist!"
    assert httpx.get(f"{url}/collections/absent/exists").json()["result"] == {"exists": False}
    with _index(qdrant_server) as index:
        index.ensure_collection(SPEC)
        created = httpx.put(
            f"{url}/collections/{SPEC.name}", json={"vectors": {"size": 4, "distance": "Dot"}}
        )
        assert created.status_code == 409 and "already exists" in created.json()["status"]["error"]
        wrong = httpx.put(
            f"{url}/collections/{SPEC.name}/points",
            json={"points": [{"id": 1, "vector": {"dense": [0.1, 0.2]}}]},
        )
        assert wrong.status_code == 400 and "dimension error" in wrong.json()["status"]["error"]
        with pytest.raises(NotFound):
            index.update_dense(SPEC, {"never-written": np.ones(SPEC.dim)})
        with pytest.raises(InvalidInput):
            index.set_alias(SPEC.name, SPEC)
        bad_query = httpx.post(
            f"{url}/collections/{SPEC.name}/points/query", json={"query": {"sample": "random"}}
        )
        assert bad_query.status_code == 400
    assert httpx.get(f"{url}/readyz").status_code == 200


def test_filters_the_adapter_does_not_send_are_served(qdrant_server: QdrantServer, temas: list[Tema]) -> None:
    points = tema_points(temas[:50])
    with _index(qdrant_server) as index:
        index.ensure_collection(SPEC)
        index.upsert(SPEC, points)
    client = QdrantClient(url=qdrant_server.url, check_compatibility=False)
    from qdrant_client import models as qm

    orgaos = sorted({p.payload["orgao_julgador"] for p in points})
    first = orgaos[0]
    not_first = qm.Filter(
        must_not=[qm.FieldCondition(key="orgao_julgador", match=qm.MatchValue(value=first))]
    )
    want = sum(1 for p in points if p.payload["orgao_julgador"] != first)
    assert client.count(SPEC.name, count_filter=not_first, exact=True).count == want
    either = qm.Filter(
        should=[qm.FieldCondition(key="orgao_julgador", match=qm.MatchValue(value=o)) for o in orgaos[:2]]
    )
    want_either = sum(1 for p in points if p.payload["orgao_julgador"] in orgaos[:2])
    assert client.count(SPEC.name, count_filter=either, exact=True).count == want_either
    page, offset = client.scroll(SPEC.name, limit=7, with_payload=["title"])
    assert len(page) == 7 and offset is not None
    assert all(set(r.payload or {}) == {"title"} for r in page)
    client.close()


def test_a_killed_server_process_keeps_acknowledged_points(tmp_path: Path, temas: list[Tema]) -> None:
    points = tema_points(temas[:70])
    with qdrant_process(tmp_path) as (process, url):
        with ServerVectorIndex(url=url, retry=NO_RETRY) as index:
            index.ensure_collection(SPEC)
            index.upsert(SPEC, points)
            index.set_alias("chunks", SPEC)
        with pytest.raises(RuntimeError, match="another Qdrant test server"):
            QdrantServer(tmp_path)
        process.kill()
        process.wait()
    with qdrant_process(tmp_path) as (_, url), ServerVectorIndex(url=url, retry=NO_RETRY) as index:
        assert index.aliases() == {"chunks": SPEC.name}
        _assert_same(_by_id(index, "chunks"), points)


def test_an_api_key_is_required_when_the_server_has_one(tmp_path: Path, temas: list[Tema]) -> None:
    with QdrantServer(tmp_path, api_key="s3cret-key") as server:
        assert httpx.get(f"{server.url}/readyz").status_code == 200
        refused = httpx.get(f"{server.url}/collections")
        assert refused.status_code == 401 and "API key" in refused.json()["status"]["error"]
        wrong = httpx.get(f"{server.url}/collections", headers={"api-key": "other"})
        assert wrong.status_code == 401
        with pytest.warns(UserWarning, match="insecure connection"):
            keyed = ServerVectorIndex(url=server.url, api_key="s3cret-key", retry=NO_RETRY)
        with keyed as index:
            index.ensure_collection(SPEC)
            assert index.upsert(SPEC, tema_points(temas[:5])) == 5
        with _index(server) as anonymous, pytest.raises(UpstreamError, match="401"):
            anonymous.count(SPEC)
        assert all(r.headers.get("api-key") == "s3cret-key" for r in server.requests("upsert"))


def test_scripted_failures_are_retried_by_the_adapter(qdrant_server: QdrantServer, temas: list[Tema]) -> None:
    points = tema_points(temas[:20])
    unavailable = Reply(503, {"status": {"error": "Service unavailable: scripted"}, "time": 0.0})
    retry = RetryPolicy(max_retries=2, initial_wait=0.01, max_wait=0.05, jitter=0.0)
    with ServerVectorIndex(url=qdrant_server.url, retry=retry) as index:
        index.ensure_collection(SPEC)
        qdrant_server.script("upsert", unavailable)
        assert index.upsert(SPEC, points) == len(points)
        qdrant_server.script_times("query", 2, unavailable)
        assert points[3].dense is not None
        assert index.search_dense(SPEC, points[3].dense, limit=1)[0].id == points[3].id
        assert len(qdrant_server.requests("query")) == 3
        qdrant_server.script_times("count", 3, unavailable)
        with pytest.raises(RetryableUpstreamError):
            index.count(SPEC)


def test_a_stopped_server_lets_go_of_its_folder(tmp_path: Path, temas: list[Tema]) -> None:
    server = QdrantServer(tmp_path).start()
    with _index(server) as index:
        index.ensure_collection(SPEC)
        index.upsert(SPEC, tema_points(temas[:3]))
    server.stop()
    with pytest.raises(ApiError, match="stopping"), server.store.shard(SPEC.name):
        pass
    with EdgeVectorIndex(tmp_path) as embedded:  # the WAL locks were released
        assert embedded.count(SPEC) == 3


def _untied(hits: list[Any]) -> dict[int, str]:
    """Rank → id of the hits whose score no other hit shares (ties may come in any order)."""
    scores = [round(h.score, 5) for h in hits]
    return {i: str(h.id) for i, h in enumerate(hits) if scores.count(scores[i]) == 1 and i < len(hits) - 1}


def test_prefetch_and_fusion_follow_qdrant_semantics(qdrant_server: QdrantServer, temas: list[Tema]) -> None:
    """Dense prefetch ranks as qdrant-client's local mode; fusion of the served prefetch lists is what
    qdrant-client's own RRF (k=2 by default, or the k given) and DBSF functions make of them."""
    from qdrant_client import models as qm
    from qdrant_client.hybrid.fusion import distribution_based_score_fusion, reciprocal_rank_fusion

    from jurisgraph.integrations.qdrant import server_codec
    from jurisgraph.integrations.qdrant.points import prepare_points

    points = [server_codec.client_point(p) for p in prepare_points(SPEC, tema_points(temas[:120]))]
    reference = QdrantClient(location=":memory:")
    served = QdrantClient(url=qdrant_server.url, check_compatibility=False)
    for client in (reference, served):
        client.create_collection(
            SPEC.name,
            vectors_config=server_codec.vectors_config(SPEC),
            sparse_vectors_config=server_codec.sparse_config(),
        )
        client.upsert(SPEC.name, points, wait=True)
    rng = np.random.default_rng(3)
    for probe in points[::17]:
        assert isinstance(probe.vector, dict)
        noisy = (np.asarray(probe.vector["dense"]) + 0.3 * rng.standard_normal(SPEC.dim)).tolist()
        dense = qm.Prefetch(query=noisy, using="dense", limit=20)
        sparse = qm.Prefetch(query=probe.vector["sparse"], using="sparse", limit=20)
        lists = []
        for stage in (dense, sparse):
            got = served.query_points(SPEC.name, query=stage.query, using=stage.using, limit=20).points
            want = reference.query_points(SPEC.name, query=stage.query, using=stage.using, limit=20).points
            assert [p.score for p in got] == pytest.approx([p.score for p in want], rel=1e-4)
            lists.append(got)
        assert _untied(lists[0]) == _untied(
            reference.query_points(SPEC.name, query=noisy, using="dense", limit=20).points
        )

        def fresh(lists: list[list[qm.ScoredPoint]]) -> list[list[qm.ScoredPoint]]:
            return [[p.model_copy() for p in hits] for hits in lists]  # fusion overwrites scores in place

        expected = {
            "rrf": reciprocal_rank_fusion(fresh(lists), limit=8),
            "rrf60": reciprocal_rank_fusion(fresh(lists), limit=8, ranking_constant_k=60),
            "dbsf": distribution_based_score_fusion(fresh(lists), limit=8),
        }
        queries: dict[str, Any] = {
            "rrf": qm.FusionQuery(fusion=qm.Fusion.RRF),
            "rrf60": qm.RrfQuery(rrf=qm.Rrf(k=60)),
            "dbsf": qm.FusionQuery(fusion=qm.Fusion.DBSF),
        }
        for name, query in queries.items():
            fused = served.query_points(SPEC.name, prefetch=[dense, sparse], query=query, limit=8).points
            want_scores = [p.score for p in expected[name]]
            assert [p.score for p in fused] == pytest.approx(want_scores, rel=1e-4), name
            assert _untied(fused) == _untied(expected[name]), name
    reference.close()
    served.close()

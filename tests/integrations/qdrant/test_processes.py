"""Two OS processes, each with its own ``ServerVectorIndex``, share points through the test server process."""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.synchronize import Barrier
from typing import Any

import numpy as np

from jurisgraph.engine.vectors import VectorPoint
from jurisgraph.integrations.qdrant.server import ServerVectorIndex
from jurisgraph.kit.retry import RetryPolicy
from tests.fixtures.vectors import SPEC, Tema, tema_points

WAIT = 60.0


def writer_then_reader(
    url: str, mine: list[VectorPoint], theirs: list[str], probe: list[float], barrier: Barrier, out: Any
) -> None:
    """Write ``mine``, wait for the other process, then read what it wrote."""
    with ServerVectorIndex(url=url, retry=RetryPolicy(max_retries=2, initial_wait=0.1)) as index:
        index.ensure_collection(SPEC)
        index.upsert(SPEC, mine)
        barrier.wait(WAIT)
        seen = [p.id for p in index.retrieve(SPEC, theirs)]
        nearest = index.search_dense(SPEC, probe, limit=1)[0].id
        out.put({"pid": os.getpid(), "count": index.count(SPEC), "seen": sorted(seen), "nearest": nearest})


def test_two_processes_see_each_others_points(qdrant_http: str, temas: list[Tema]) -> None:
    points = tema_points(temas[:100])
    left, right = points[::2], points[1::2]
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    out = ctx.Queue()
    jobs = [
        ctx.Process(
            target=writer_then_reader, args=(qdrant_http, mine, [p.id for p in other], probe, barrier, out)
        )
        for mine, other, probe in (
            (left, right, [float(x) for x in np.asarray(right[3].dense)]),
            (right, left, [float(x) for x in np.asarray(left[5].dense)]),
        )
    ]
    for job in jobs:
        job.start()
    results = [out.get(timeout=WAIT * 2) for _ in jobs]
    for job in jobs:
        job.join(WAIT)
        assert job.exitcode == 0
    by_pid = {r["pid"]: r for r in results}
    assert len(by_pid) == 2 and os.getpid() not in by_pid
    assert all(r["count"] == len(points) for r in results)
    assert sorted(r["seen"] for r in results) == sorted(
        [sorted(p.id for p in right), sorted(p.id for p in left)]
    )
    assert {r["nearest"] for r in results} == {right[3].id, left[5].id}
    with ServerVectorIndex(url=qdrant_http, retry=RetryPolicy(max_retries=0)) as index:
        assert index.count(SPEC) == len(points)

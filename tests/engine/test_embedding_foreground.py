"""Queries first: the LRU of query vectors, the foreground gate and the background embedder."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pytest

from jurisgraph.engine.embedding import (
    ForegroundGate,
    Matrix,
    ModelSignature,
    QueryVectorCache,
    Vector,
    YieldingEmbedder,
)

DIM = 4


class CountingEmbedder:
    """Vectors derived from the text; records every call."""

    def __init__(self) -> None:
        self.queries: list[str] = []
        self.batches: list[list[str]] = []

    @property
    def signature(self) -> ModelSignature:
        return ModelSignature("fake", "counting", DIM)

    def _vector(self, text: str) -> Vector:
        v = np.array([len(text), sum(map(ord, text)) % 97, 1.0, 2.0], dtype=np.float32)
        out: Vector = v / np.linalg.norm(v)
        return out

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        self.batches.append(list(texts))
        return np.vstack([self._vector(t) for t in texts]).astype(np.float32)

    def embed_query(self, text: str) -> Vector:
        self.queries.append(text)
        return self._vector(text)


def test_query_cache_embeds_a_repeated_query_once() -> None:
    inner = CountingEmbedder()
    cache = QueryVectorCache(inner, size=8)
    first = cache.embed_query("Tema 1.076")
    again = cache.embed_query("Tema 1.076")
    assert inner.queries == ["Tema 1.076"]
    assert np.array_equal(first, again)
    assert (cache.hits, cache.misses) == (1, 1)
    with pytest.raises(ValueError):
        again[0] = 0.0  # shared vectors are read-only


def test_query_cache_evicts_the_least_recently_used() -> None:
    inner = CountingEmbedder()
    cache = QueryVectorCache(inner, size=2)
    cache.embed_query("a1")
    cache.embed_query("b2")
    cache.embed_query("a1")  # a1 is now the most recent
    cache.embed_query("c3")  # evicts b2
    cache.embed_query("a1")
    cache.embed_query("b2")
    assert inner.queries == ["a1", "b2", "c3", "b2"]


def test_query_cache_passes_documents_through() -> None:
    inner = CountingEmbedder()
    cache = QueryVectorCache(inner, size=2)
    cache.embed_documents(["x1", "x1"])
    cache.embed_documents(["x1"])
    assert inner.batches == [["x1", "x1"], ["x1"]]


def test_gate_is_quiet_when_nothing_ran() -> None:
    gate = ForegroundGate(quiet_s=0.0, max_wait_s=5.0)
    assert not gate.seen_within(60.0)
    assert gate.wait_quiet() is True


def test_gate_gives_up_waiting_after_max_wait() -> None:
    gate = ForegroundGate(quiet_s=0.0, max_wait_s=0.05)
    gate.enter()
    assert gate.active == 1
    assert gate.wait_quiet() is False  # background work always progresses
    gate.leave()
    assert gate.active == 0
    assert gate.seen_within(60.0)


def test_background_waits_until_the_request_left() -> None:
    gate = ForegroundGate(quiet_s=0.0, max_wait_s=30.0)
    inner = CountingEmbedder()
    background = YieldingEmbedder(inner, gate, small_batch=2, large_batch=8)
    order: list[str] = []
    gate.enter()
    started = threading.Event()

    def embed() -> None:
        started.set()
        background.embed_documents(["p1", "p2", "p3"])
        order.append("embedded")

    worker = threading.Thread(target=embed)
    worker.start()
    started.wait()
    order.append("request done")
    gate.leave()
    worker.join(timeout=30)
    assert order == ["request done", "embedded"]


def test_background_batches_are_small_after_requests_and_large_without() -> None:
    texts = [f"passagem {i}" for i in range(10)]
    idle_inner = CountingEmbedder()
    idle = YieldingEmbedder(idle_inner, ForegroundGate(quiet_s=0.0), small_batch=3, large_batch=8)
    matrix = idle.embed_documents(texts)
    assert [len(b) for b in idle_inner.batches] == [8, 2]

    busy_gate = ForegroundGate(quiet_s=0.0)
    with busy_gate.entered():
        pass
    busy_inner = CountingEmbedder()
    busy = YieldingEmbedder(busy_inner, busy_gate, small_batch=3, large_batch=8, recent_s=3600)
    again = busy.embed_documents(texts)
    assert [len(b) for b in busy_inner.batches] == [3, 3, 3, 1]
    assert np.array_equal(matrix, again)  # rows in input order either way
    assert busy.embed_documents([]).shape == (0, DIM)


def test_background_embeds_one_text_at_a_time_under_constant_load() -> None:
    gate = ForegroundGate(quiet_s=0.0, max_wait_s=0.01)
    inner = CountingEmbedder()
    background = YieldingEmbedder(inner, gate, small_batch=3, large_batch=8)
    with gate.entered():
        background.embed_documents(["p1", "p2", "p3"])
    assert inner.batches == [["p1"], ["p2"], ["p3"]]

"""Concurrent queries share one model call: each caller gets its own vector, errors reach all."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np
import pytest

from jurisgraph.engine.embedding import (
    CoalescingQueryEmbedder,
    Matrix,
    ModelSignature,
    QueryBatchEmbedder,
    Vector,
)
from jurisgraph.errors import UpstreamError

DIM = 4


def vector_of(text: str) -> Vector:
    v = np.array([len(text), sum(map(ord, text)) % 97, 1.0, 2.0], dtype=np.float32)
    out: Vector = v / np.linalg.norm(v)
    return out


class GatedBatchEmbedder:
    """Vectors derived from the text; records each batch call and the thread that made it.

    ``hold`` makes the next query call block until ``release`` is set, so that callers pile up
    behind it; ``fail_on`` makes the call with that index raise.
    """

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.threads: list[int] = []
        self.single_calls = 0
        self.hold = False
        self.entered = threading.Event()
        self.release = threading.Event()
        self.fail_on: int | None = None

    @property
    def signature(self) -> ModelSignature:
        return ModelSignature("fake", "gated", DIM)

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        return np.vstack([vector_of(t) for t in texts]).astype(np.float32)

    def embed_query(self, text: str) -> Vector:
        self.single_calls += 1
        return vector_of(text)

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        index = len(self.calls)
        self.calls.append(list(texts))
        self.threads.append(threading.get_ident())
        if self.hold:
            self.hold = False
            self.entered.set()
            assert self.release.wait(30)
        if index == self.fail_on:
            raise UpstreamError("model crashed")
        return np.vstack([vector_of(t) for t in texts]).astype(np.float32)


class Caller(threading.Thread):
    def __init__(self, embed: Callable[[str], Vector], text: str) -> None:
        super().__init__(daemon=True)
        self.embed = embed
        self.text = text
        self.vector: Vector | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.vector = self.embed(self.text)
        except BaseException as exc:
            self.error = exc


def until(condition: Callable[[], bool]) -> None:
    """Wait for ``condition`` (a state, not a time: the deadline only stops a hung test)."""
    stop = threading.Event()
    for _ in range(30_000):
        if condition():
            return
        stop.wait(0.001)
    raise AssertionError("condition never held")


def pile_up(
    inner: GatedBatchEmbedder, coalescer: CoalescingQueryEmbedder, first: str, others: list[str]
) -> list[Caller]:
    """Start ``first`` (its model call blocks), queue ``others`` behind it; returns all callers."""
    inner.hold = True
    lead = Caller(coalescer.embed_query, first)
    lead.start()
    assert inner.entered.wait(30)
    rest = [Caller(coalescer.embed_query, t) for t in others]
    for caller in rest:
        caller.start()
    until(lambda: coalescer.waiting == len(others))
    inner.release.set()
    callers = [lead, *rest]
    for caller in callers:
        caller.join(30)
        assert not caller.is_alive()
    return callers


def test_the_fake_is_a_query_batch_embedder() -> None:
    assert isinstance(GatedBatchEmbedder(), QueryBatchEmbedder)


def test_a_lone_query_is_embedded_at_once_in_the_callers_thread() -> None:
    inner = GatedBatchEmbedder()
    coalescer = CoalescingQueryEmbedder(inner)
    first = coalescer.embed_query("Súmula 7")
    second = coalescer.embed_query("Tema 1.076")
    assert inner.calls == [["Súmula 7"], ["Tema 1.076"]]
    assert inner.threads == [threading.get_ident()] * 2
    assert coalescer.waiting == 0
    np.testing.assert_allclose(first, vector_of("Súmula 7"), rtol=0, atol=1e-6)
    np.testing.assert_allclose(second, vector_of("Tema 1.076"), rtol=0, atol=1e-6)


def test_queries_arriving_while_the_model_is_busy_share_the_next_call() -> None:
    inner = GatedBatchEmbedder()
    coalescer = CoalescingQueryEmbedder(inner, max_batch=16)
    others = ["dano moral", "prescrição intercorrente", "penhora de salário", "usucapião rural"]
    callers = pile_up(inner, coalescer, "Súmula 7", others)
    assert inner.calls[0] == ["Súmula 7"]
    assert len(inner.calls) == 2
    assert sorted(inner.calls[1]) == sorted(others)
    for caller in callers:
        assert caller.error is None
        assert caller.vector is not None
        np.testing.assert_allclose(caller.vector, vector_of(caller.text), rtol=0, atol=1e-6)
    assert (coalescer.calls, coalescer.queries) == (2, 5)
    assert inner.single_calls == 0


def test_identical_concurrent_texts_each_get_their_vector() -> None:
    inner = GatedBatchEmbedder()
    coalescer = CoalescingQueryEmbedder(inner)
    callers = pile_up(inner, coalescer, "a", ["b", "b", "c"])
    assert [c.text for c in callers] == ["a", "b", "b", "c"]
    for caller in callers:
        assert caller.vector is not None
        np.testing.assert_allclose(caller.vector, vector_of(caller.text), rtol=0, atol=1e-6)


def test_a_queue_longer_than_max_batch_is_split_in_order() -> None:
    inner = GatedBatchEmbedder()
    coalescer = CoalescingQueryEmbedder(inner, max_batch=4)
    others = [f"pergunta {i}" for i in range(6)]
    callers = pile_up(inner, coalescer, "primeira", others)
    assert [len(batch) for batch in inner.calls] == [1, 4, 2]
    assert sorted(t for batch in inner.calls[1:] for t in batch) == sorted(others)
    for caller in callers:
        assert caller.vector is not None
        np.testing.assert_allclose(caller.vector, vector_of(caller.text), rtol=0, atol=1e-6)


def test_an_error_in_a_batch_reaches_every_caller_of_that_batch_only() -> None:
    inner = GatedBatchEmbedder()
    inner.fail_on = 1
    coalescer = CoalescingQueryEmbedder(inner)
    others = ["dano moral", "penhora", "usucapião"]
    callers = pile_up(inner, coalescer, "Súmula 7", others)
    lead, *rest = callers
    assert lead.error is None and lead.vector is not None
    for caller in rest:
        assert isinstance(caller.error, UpstreamError)
        assert caller.vector is None
    # the embedder is usable again after the failed batch
    np.testing.assert_allclose(coalescer.embed_query("depois"), vector_of("depois"), rtol=0, atol=1e-6)


def test_a_wrong_number_of_rows_is_an_error_for_the_batch() -> None:
    class Short(GatedBatchEmbedder):
        def embed_queries(self, texts: Sequence[str]) -> Matrix:
            return super().embed_queries(texts)[:-1]

    coalescer = CoalescingQueryEmbedder(Short())
    with pytest.raises(UpstreamError):
        coalescer.embed_query("Súmula 7")


def test_documents_pass_straight_through() -> None:
    inner = GatedBatchEmbedder()
    coalescer = CoalescingQueryEmbedder(inner)
    out = coalescer.embed_documents(["a", "bb"])
    assert out.shape == (2, DIM)
    assert inner.calls == []


def test_max_batch_must_be_positive() -> None:
    with pytest.raises(ValueError):
        CoalescingQueryEmbedder(GatedBatchEmbedder(), max_batch=0)

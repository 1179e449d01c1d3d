"""The one retry policy: waits, Retry-After hints, transient-only retries."""

from __future__ import annotations

import email.utils
import time

import pytest

from jurisgraph.kit.retry import (
    RetryPolicy,
    is_transient_status,
    parse_retry_after,
    retry_after_of,
    retry_after_seconds,
)


class Busy(Exception):
    def __init__(self, retry_after: float | None = None) -> None:
        super().__init__("busy")
        self.retry_after = retry_after


class Broken(Exception):
    pass


def test_transient_statuses() -> None:
    assert all(is_transient_status(s) for s in (408, 425, 429, 500, 502, 503, 504, 520, 599))
    assert not any(is_transient_status(s) for s in (200, 301, 400, 401, 403, 404, 409, 413, 422))


def test_retry_after_values_and_headers() -> None:
    assert parse_retry_after(" 7 ") == 7.0
    assert parse_retry_after("-3") == 0.0
    assert all(parse_retry_after(value) is None for value in ("", " ", None, "soon"))
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < (parse_retry_after(future) or 0) <= 30
    assert parse_retry_after(email.utils.formatdate(time.time() - 60, usegmt=True)) == 0.0
    assert retry_after_seconds({"RETRY-AFTER-MS": "250"}) == 0.25
    assert retry_after_seconds({"retry-after-ms": "x", "Retry-After": "2"}) == 2.0
    assert retry_after_of(Busy(1.5)) == 1.5 and retry_after_of(Busy()) is None
    assert retry_after_of(Broken()) is None and retry_after_of(None) is None


def test_backoff_grows_with_its_jitter_and_cap() -> None:
    policy = RetryPolicy(max_retries=5, initial_wait=0.1, max_wait=1.0, jitter=0.0)
    assert [policy.backoff(n) for n in (1, 2, 3, 4, 5)] == [0.1, 0.2, 0.4, 0.8, 1.0]
    spread = RetryPolicy(initial_wait=0.1, max_wait=100.0, jitter=2.0)
    waits = [spread.backoff(1) for _ in range(200)]
    assert all(0.1 <= w <= 2.1 for w in waits) and max(waits) > 1.0
    default_spread = RetryPolicy(initial_wait=0.1, max_wait=100.0)
    assert all(0.1 <= default_spread.backoff(1) <= 0.2 for _ in range(200))


def test_the_hint_is_a_lower_bound_with_its_own_cap() -> None:
    policy = RetryPolicy(initial_wait=0.01, max_wait=0.05)
    assert policy.wait_for(1, Busy(7.0)) == 0.05
    portal = RetryPolicy(initial_wait=0.01, max_wait=0.05, max_retry_after=300.0)
    assert portal.wait_for(1, Busy(7.0)) == 7.0 and portal.wait_for(1, Busy(900.0)) == 300.0
    assert 0.01 <= portal.wait_for(1, Busy(0.0)) <= 0.02
    assert portal.wait_for(1, Broken(), hint=lambda _: 4.0) == 4.0


def test_negative_settings_are_refused() -> None:
    for bad in ({"max_retries": -1}, {"initial_wait": -1.0}, {"jitter": -0.1}, {"max_retry_after": -1.0}):
        with pytest.raises(ValueError, match="negative"):
            RetryPolicy(**bad)


def test_transient_errors_are_retried_with_the_waits_slept() -> None:
    calls: list[int] = []
    sleeps: list[float] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise Busy(retry_after=0.5)
        return "ok"

    policy = RetryPolicy(max_retries=3, initial_wait=0.001, max_wait=1.0)
    assert policy.call(flaky, transient=Busy, what="svc", sleep=sleeps.append) == "ok"
    assert len(calls) == 3 and sleeps == [0.5, 0.5]


def test_other_errors_fail_at_once_and_the_last_transient_one_propagates() -> None:
    calls: list[int] = []

    def broken() -> None:
        calls.append(1)
        raise Broken("no")

    policy = RetryPolicy(max_retries=3, initial_wait=0.0, max_wait=0.0)
    with pytest.raises(Broken):
        policy.call(broken, transient=(Busy, TimeoutError), what="svc", sleep=lambda _: None)
    assert len(calls) == 1

    failures = iter([Busy(), TimeoutError("slow"), Busy(), TimeoutError("last")])

    def always() -> None:
        raise next(failures)

    with pytest.raises(TimeoutError, match="last"):
        policy.call(always, transient=(Busy, TimeoutError), what="svc", sleep=lambda _: None)


def test_a_predicate_decides_what_is_transient() -> None:
    seen: list[str] = []

    def fn() -> str:
        seen.append("x")
        if len(seen) == 1:
            raise Broken("retry me")
        raise Broken("final")

    with pytest.raises(Broken, match="final"):
        RetryPolicy(max_retries=5, initial_wait=0.0, max_wait=0.0).call(
            fn, transient=lambda e: str(e) == "retry me", what="svc", sleep=lambda _: None
        )
    assert len(seen) == 2

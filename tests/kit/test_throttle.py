"""The named limits: in one process on an injected clock, and shared through a real Redis by two
throttles with their own connections (as two processes hold them)."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import redis

from jurisgraph.kit.throttle import MAX_SINGLE_SLEEP_S, LocalThrottle, RedisThrottle, build_throttle

REDIS_ENV = "JURISGRAPH_TEST_REDIS_URL"


class Stop(Exception):
    """Raised by a recording sleep to end a wait the test has seen."""


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_local_rate_waits_for_the_oldest_start_of_the_minute() -> None:
    t = FakeTime()
    throttle = LocalThrottle(clock=t.clock, sleep=t.sleep)
    assert [throttle.rate("llm", 2) for _ in range(2)] == [0.0, 0.0]
    t.now += 15
    assert throttle.rate("llm", 2) == pytest.approx(45.0)
    assert throttle.rate("other", 2) == 0.0
    assert throttle.rate("llm", 0) == 0.0


def test_local_spacing_keeps_starts_apart_per_name() -> None:
    t = FakeTime()
    throttle = LocalThrottle(clock=t.clock, sleep=t.sleep)
    assert throttle.space("portal:a", 10.0) == 0.0
    t.now += 4
    assert throttle.space("portal:a", 10.0) == pytest.approx(6.0)
    assert throttle.space("portal:b", 10.0) == 0.0


def test_local_slots_bound_the_calls_in_flight() -> None:
    throttle = LocalThrottle()
    inside = 0
    most = 0
    guard = threading.Lock()

    def call() -> None:
        nonlocal inside, most
        with throttle.slot("embed", 2):
            with guard:
                inside += 1
                most = max(most, inside)
            time.sleep(0.02)
            with guard:
                inside -= 1

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 2


@pytest.fixture
def shared() -> Iterator[tuple[RedisThrottle, RedisThrottle, list[float]]]:
    """Two throttles on their own Redis connections under one fresh prefix, whose waits raise
    :class:`Stop` after recording how long they would sleep."""
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} not set (run `make test`)")
    prefix = f"jgtest-{uuid.uuid4().hex[:10]}"
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        raise Stop

    clients = [redis.Redis.from_url(url) for _ in range(2)]
    one, two = (RedisThrottle(c, key_prefix=prefix, sleep=sleep) for c in clients)
    yield one, two, waits
    for key in clients[0].scan_iter(f"{prefix}*"):
        clients[0].delete(key)
    for client in clients:
        client.close()


def test_a_rate_in_redis_is_one_count_for_every_holder(
    shared: tuple[RedisThrottle, RedisThrottle, list[float]],
) -> None:
    one, two, waits = shared
    assert [one.rate("llm:openai", 3), two.rate("llm:openai", 3), one.rate("llm:openai", 3)] == [0.0] * 3
    with pytest.raises(Stop):
        two.rate("llm:openai", 3)
    assert waits == [MAX_SINGLE_SLEEP_S]  # the oldest start is a minute away: wait, then ask again
    assert one.rate("embed:openai", 3) == 0.0  # another name, another count


def test_a_slot_in_redis_is_shared_and_freed_on_exit(
    shared: tuple[RedisThrottle, RedisThrottle, list[float]],
) -> None:
    one, two, waits = shared
    with one.slot("llm:openai", 2), two.slot("llm:openai", 2):
        with pytest.raises(Stop), one.slot("llm:openai", 2):
            pass
        assert len(waits) == 1
    with two.slot("llm:openai", 2) as waited:
        assert waited == 0.0


def test_a_slot_whose_holder_died_frees_itself_after_its_lease() -> None:
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} not set (run `make test`)")
    prefix = f"jgtest-{uuid.uuid4().hex[:10]}"
    client = redis.Redis.from_url(url)
    try:
        dying = RedisThrottle(client, key_prefix=prefix, lease_s=0.3)
        held = dying.slot("llm:openai", 1)
        held.__enter__()  # never left: its process "died"
        after = RedisThrottle(client, key_prefix=prefix)
        with after.slot("llm:openai", 1) as waited:
            assert 0.0 < waited < 5.0
        del held
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()


def test_spacing_in_redis_holds_across_holders(
    shared: tuple[RedisThrottle, RedisThrottle, list[float]],
) -> None:
    one, two, waits = shared
    assert one.space("portal:host", 5.0) == 0.0
    with pytest.raises(Stop):
        two.space("portal:host", 5.0)
    assert 4.0 <= waits[0] <= 5.0
    assert two.space("portal:other", 5.0) == 0.0
    assert one.space("portal:host", 0) == 0.0


def test_the_throttle_is_shared_only_with_a_redis_url() -> None:
    assert isinstance(build_throttle(""), LocalThrottle)
    url = os.environ.get(REDIS_ENV)
    if url:
        assert isinstance(build_throttle(url, key_prefix="x"), RedisThrottle)

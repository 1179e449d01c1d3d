"""Stamped values: rebuilt only when their stamp changes, the stamp asked at most once per interval."""

from __future__ import annotations

import threading

from jurisgraph.kit.stamped import StampedCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Rows:
    """A stand-in for the rows a value is built from: a version, and counts of stamp and build calls."""

    def __init__(self) -> None:
        self.version = 1
        self.stamps = 0
        self.builds = 0

    def stamp(self) -> int:
        self.stamps += 1
        return self.version

    def build(self) -> list[int]:
        self.builds += 1
        return [self.version]


def test_a_value_is_rebuilt_only_when_its_stamp_changes() -> None:
    clock, rows = Clock(), Rows()
    cache: StampedCache[list[int]] = StampedCache(recheck_s=1.0, clock=clock)
    first = cache.get("ws", rows.stamp, rows.build)
    clock.now += 5
    assert cache.get("ws", rows.stamp, rows.build) is first
    assert (rows.stamps, rows.builds) == (2, 1)
    rows.version = 2
    clock.now += 5
    assert cache.get("ws", rows.stamp, rows.build) == [2]
    assert rows.builds == 2


def test_the_stamp_is_asked_at_most_once_per_interval() -> None:
    clock, rows = Clock(), Rows()
    cache: StampedCache[list[int]] = StampedCache(recheck_s=1.0, clock=clock)
    cache.get("ws", rows.stamp, rows.build)
    rows.version = 2
    for _ in range(10):
        clock.now += 0.05
        assert cache.get("ws", rows.stamp, rows.build) == [1]
    assert rows.stamps == 1
    clock.now += 1.0
    assert cache.get("ws", rows.stamp, rows.build) == [2]
    assert rows.stamps == 2


def test_keys_are_kept_apart_and_the_least_recently_used_goes_first() -> None:
    clock = Clock()
    cache: StampedCache[str] = StampedCache(entries=2, recheck_s=1.0, clock=clock)
    built: list[str] = []

    def build(name: str) -> str:
        built.append(name)
        return name

    assert cache.get("a", lambda: 1, lambda: build("a")) == "a"
    assert cache.get("b", lambda: 1, lambda: build("b")) == "b"
    assert cache.get("a", lambda: 1, lambda: build("a")) == "a"
    assert cache.get("c", lambda: 1, lambda: build("c")) == "c"  # drops b, the least recently used
    assert cache.get("a", lambda: 1, lambda: build("a")) == "a"
    assert cache.get("b", lambda: 1, lambda: build("b")) == "b"
    assert built == ["a", "b", "c", "b"]


def test_threads_asking_at_once_build_one_value() -> None:
    rows = Rows()
    cache: StampedCache[list[int]] = StampedCache()
    start = threading.Barrier(8)
    got: list[list[int]] = []

    def ask() -> None:
        start.wait()
        got.append(cache.get("ws", rows.stamp, rows.build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert rows.builds == 1
    assert all(value is got[0] for value in got)

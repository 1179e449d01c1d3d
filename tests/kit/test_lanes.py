"""The lane: at most N calls at once in worker threads, the others in arrival order."""

from __future__ import annotations

import threading
import time

import anyio
import pytest

from jurisgraph.kit.lanes import Lane, available_cores


def test_at_most_size_calls_run_at_once_and_the_others_start_in_arrival_order() -> None:
    running = 0
    most = 0
    started: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            started.append(n)
        time.sleep(0.02)
        with lock:
            running -= 1
        return n * n

    async def main() -> list[int]:
        lane = Lane(2)
        results: list[int] = []

        async def call(n: int) -> None:
            results.append(await lane.run(lambda: work(n)))

        async with anyio.create_task_group() as group:
            for n in range(8):
                group.start_soon(call, n)
                await anyio.sleep(0.001)  # arrive in order
        return results

    results = anyio.run(main)
    assert most == 2
    assert sorted(results) == [n * n for n in range(8)]
    assert started[2:] == sorted(started[2:])  # waiting calls start in the order they came


def test_a_lane_needs_a_place_and_cores_are_counted() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Lane(0)
    assert available_cores() >= 1

"""CPU-bound work in worker threads, a few calls at a time, the others waiting in arrival order."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")


def available_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Lane:
    """At most ``size`` calls run at once, each in a worker thread; later calls wait their turn in
    arrival order. In one Python process CPU-bound calls share one interpreter lock: running more
    of them at once only interleaves them, and every caller waits as long as the slowest.

    Built on the event loop that uses it (an app's lifespan)."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"a lane needs at least one place, got {size}")
        self.size = size
        self._limiter = anyio.CapacityLimiter(size)

    async def run(self, work: Callable[[], T]) -> T:
        """``work()`` in a worker thread once a place is free."""
        return await anyio.to_thread.run_sync(work, limiter=self._limiter)

    @property
    def waiting(self) -> int:
        """Calls waiting for a place."""
        return int(self._limiter.statistics().tasks_waiting)

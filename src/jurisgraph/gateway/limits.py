"""In-process request-rate limit of the gateway.

Each process (API replica or worker) holds one gateway, so the limits are per process: the
rate a provider sees is ``rpm`` × processes. Configure ``JURISGRAPH_LLM_RPM`` accordingly.
"""

from __future__ import annotations

import threading
from collections import deque

from jurisgraph.gateway.clock import Clock

WINDOW_S = 60.0


class RateLimiter:
    """At most ``rpm`` call starts in any 60-second window (``rpm`` <= 0: no limit).

    A sliding log of start times: a caller over the limit sleeps until the oldest start of
    the window is a minute old. Waiting callers are served one at a time, in arrival order.
    """

    def __init__(self, rpm: int, clock: Clock) -> None:
        self.rpm = rpm
        self._clock = clock
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait for a free slot, take it, and return the seconds waited."""
        if self.rpm <= 0:
            return 0.0
        waited = 0.0
        with self._lock:
            now = self._clock.monotonic()
            while True:
                while self._starts and now - self._starts[0] >= WINDOW_S:
                    self._starts.popleft()
                if len(self._starts) < self.rpm:
                    break
                wait = self._starts[0] + WINDOW_S - now
                self._clock.sleep(wait)
                waited += wait
                now = self._clock.monotonic()
            self._starts.append(now)
        return waited

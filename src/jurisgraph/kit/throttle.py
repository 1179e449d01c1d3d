"""Limits on the calls made to an upstream (the LLM, an embedding API, the STJ portal): starts per
minute, calls in flight, and a minimum spacing between starts.

:class:`LocalThrottle` counts in this process. :class:`RedisThrottle` counts in Redis, so every
process that shares the Redis (API replicas, workers on other machines) shares each limit: ten
workers do not call a provider ten times harder than one. Limits are named (``"llm:gemini"``);
a name's limit is whatever its callers pass, so every process must be configured alike.

Redis-side waits are computed from the Redis server's clock (``TIME``), so the machines' clocks
need not agree. A slot is a lease: a process that dies holding one frees it after ``lease_s``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

import redis

WINDOW_S = 60.0
"""The window of a per-minute rate."""
SLOT_LEASE_S = 900.0
"""How long a slot stays taken when its holder never releases it (the process died)."""
POLL_S = 0.05
"""How often a caller waiting for a shared slot asks again."""
MAX_SINGLE_SLEEP_S = 5.0
"""The longest single sleep of a shared-rate waiter before it asks Redis again."""

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class Throttle(Protocol):
    """Named limits; every method blocks until the caller may go and returns the seconds waited
    (``slot`` holds its place until the block ends)."""

    def rate(self, name: str, per_minute: int) -> float:
        """Take one of ``per_minute`` starts in the last 60 s (``per_minute`` <= 0: no limit)."""
        ...

    def slot(self, name: str, size: int) -> AbstractContextManager[float]:
        """Hold one of ``size`` places for the duration of the block."""
        ...

    def space(self, name: str, interval_s: float) -> float:
        """Start at least ``interval_s`` after the previous start under ``name``."""
        ...


class LocalThrottle:
    """The limits of one process (thread-safe). ``clock`` and ``sleep`` may be replaced in tests."""

    def __init__(self, *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._guard = threading.Lock()
        self._starts: dict[str, deque[float]] = {}
        self._rate_locks: dict[str, threading.Lock] = {}
        self._slots: dict[tuple[str, int], threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}
        self._space_locks: dict[str, threading.Lock] = {}

    def rate(self, name: str, per_minute: int) -> float:
        if per_minute <= 0:
            return 0.0
        with self._guard:
            starts = self._starts.setdefault(name, deque())
            lock = self._rate_locks.setdefault(name, threading.Lock())
        waited = 0.0
        with lock:
            now = self._clock()
            while True:
                while starts and now - starts[0] >= WINDOW_S:
                    starts.popleft()
                if len(starts) < per_minute:
                    break
                wait = starts[0] + WINDOW_S - now
                self._sleep(wait)
                waited += wait
                now = self._clock()
            starts.append(now)
        return waited

    @contextmanager
    def slot(self, name: str, size: int) -> Iterator[float]:
        with self._guard:
            semaphore = self._slots.setdefault((name, size), threading.BoundedSemaphore(max(1, size)))
        began = self._clock()
        semaphore.acquire()
        try:
            yield self._clock() - began
        finally:
            semaphore.release()

    def space(self, name: str, interval_s: float) -> float:
        with self._guard:
            lock = self._space_locks.setdefault(name, threading.Lock())
        with lock:
            now = self._clock()
            next_start = self._next.get(name, now)
            waited = max(0.0, next_start - now)
            if waited > 0:
                self._sleep(waited)
            self._next[name] = max(now, next_start) + interval_s
            return waited


# The scripts take the time from Redis, so every process measures against one clock.
_NOW_MS = (
    "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
)

_RATE = (
    _NOW_MS
    + """
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""
)

_SLOT = (
    _NOW_MS
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
"""
)

_SPACE = (
    _NOW_MS
    + """
local interval = tonumber(ARGV[1])
local next_start = tonumber(redis.call('GET', KEYS[1]) or now)
local start = math.max(now, next_start)
redis.call('SET', KEYS[1], start + interval, 'PX', start - now + interval + 1000)
return start - now
"""
)


class RedisThrottle:
    """The limits shared through Redis under ``<key_prefix>:throttle:<name>``.

    A Redis error propagates (``redis.RedisError``): a limit that cannot be checked is not
    silently lifted.
    """

    def __init__(
        self,
        client: redis.Redis,
        *,
        key_prefix: str = "jurisgraph",
        lease_s: float = SLOT_LEASE_S,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._client = client
        self._prefix = f"{key_prefix}:throttle:"
        self._lease_ms = int(lease_s * 1000)
        self._sleep = sleep
        self._rate = client.register_script(_RATE)
        self._slot = client.register_script(_SLOT)
        self._space = client.register_script(_SPACE)

    def rate(self, name: str, per_minute: int) -> float:
        if per_minute <= 0:
            return 0.0
        key = self._prefix + "rate:" + name
        waited = 0.0
        while True:
            member = uuid.uuid4().hex
            wait_ms = int(self._rate(keys=[key], args=[per_minute, int(WINDOW_S * 1000), member]))
            if wait_ms == 0:
                return waited
            pause = min(wait_ms / 1000, MAX_SINGLE_SLEEP_S)
            self._sleep(pause)
            waited += pause

    @contextmanager
    def slot(self, name: str, size: int) -> Iterator[float]:
        key = self._prefix + "slot:" + name
        token = uuid.uuid4().hex
        waited = 0.0
        while not int(self._slot(keys=[key], args=[max(1, size), self._lease_ms, token])):
            self._sleep(POLL_S)
            waited += POLL_S
        try:
            yield waited
        finally:
            self._client.zrem(key, token)

    def space(self, name: str, interval_s: float) -> float:
        if interval_s <= 0:
            return 0.0
        key = self._prefix + "space:" + name
        wait_ms = int(self._space(keys=[key], args=[int(interval_s * 1000)]))
        if wait_ms > 0:
            self._sleep(wait_ms / 1000)
        return wait_ms / 1000


def build_throttle(redis_url: str, *, key_prefix: str = "jurisgraph") -> Throttle:
    """A :class:`RedisThrottle` when ``redis_url`` is set, else a :class:`LocalThrottle`."""
    if not redis_url:
        return LocalThrottle()
    return RedisThrottle(redis.Redis.from_url(redis_url), key_prefix=key_prefix)

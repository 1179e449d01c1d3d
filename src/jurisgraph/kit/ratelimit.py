"""Rate limits over the ``limits`` library: a moving window per key, in memory (one process) or in
Redis (every process that shares it sees the same counts)."""

from __future__ import annotations

import math
import time
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter


class LimiterUnavailable(RuntimeError):
    """The store of the counts (Redis) cannot be reached."""


@lru_cache(maxsize=64)
def _item(limit: str) -> RateLimitItem:
    return parse(limit)


class RateLimiter:
    """Limits such as ``"10/minute"`` counted per key (``"query", "user:3"``)."""

    def __init__(self, redis_url: str = "", *, key_prefix: str = "jurisgraph") -> None:
        storage = (
            storage_from_string(redis_url, key_prefix=f"{key_prefix}:limits")
            if redis_url
            else storage_from_string("memory://")
        )
        assert isinstance(storage, Storage)  # a synchronous storage (no async:// scheme)
        #: whether a hit waits on the network (Redis): callers on an event loop then use a thread
        self.blocking = bool(redis_url)
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(self._storage)

    def hit(self, limit: str, *key: str) -> int | None:
        """Count one event for ``key``; None when within ``limit``, else the seconds to wait.
        :class:`LimiterUnavailable` when the store cannot be reached (so for every method)."""
        item = _item(limit)
        try:
            if self._limiter.hit(item, *key):
                return None
            return self._wait(item, key)
        except Exception as exc:
            raise LimiterUnavailable(f"rate limit store unavailable: {type(exc).__name__}") from exc

    def blocked(self, limit: str, *key: str) -> int | None:
        """Seconds to wait when ``key`` has used up ``limit`` (nothing counted), else None."""
        item = _item(limit)
        try:
            if self._limiter.test(item, *key):
                return None
            return self._wait(item, key)
        except Exception as exc:
            raise LimiterUnavailable(f"rate limit store unavailable: {type(exc).__name__}") from exc

    def clear(self, limit: str, *key: str) -> None:
        """Forget the events counted for ``key``."""
        try:
            self._limiter.clear(_item(limit), *key)
        except Exception as exc:
            raise LimiterUnavailable(f"rate limit store unavailable: {type(exc).__name__}") from exc

    def _wait(self, item: RateLimitItem, key: tuple[str, ...]) -> int:
        stats = self._limiter.get_window_stats(item, *key)
        return max(1, math.ceil(stats.reset_time - time.time()))

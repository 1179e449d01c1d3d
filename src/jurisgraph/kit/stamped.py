"""Values built from the database and kept while a cheap stamp says their rows are unchanged."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

#: how often, at most, a kept value's stamp is asked again: a change to its rows shows within this
STAMP_RECHECK_S = 1.0
#: keys kept unless the owner asks for more, least recently used dropped first
STAMPED_ENTRIES = 8


class StampedCache(Generic[T]):
    """One value per key (e.g. a workspace a question reads), each kept while its stamp — a
    cheap query whose result changes with the rows the value was built from — stays the same.

    The stamp of a key is asked at most once per ``recheck_s``: between two checks the kept value
    is returned as is, so a change to its rows shows within ``recheck_s``. Thread-safe; a value is
    built once however many threads ask for it at the same time."""

    def __init__(
        self,
        entries: int = STAMPED_ENTRIES,
        recheck_s: float = STAMP_RECHECK_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[Hashable, float, T]] = OrderedDict()
        self._size = entries
        self._recheck_s = recheck_s
        self._clock = clock

    def get(self, key: Hashable, stamp: Callable[[], Hashable], build: Callable[[], T]) -> T:
        """The value kept for ``key`` when checked less than ``recheck_s`` ago or when ``stamp()``
        is the one it was built for; else ``build()``, kept for ``key``."""
        with self._lock:
            now = self._clock()
            held = self._entries.get(key)
            if held is not None and now - held[1] < self._recheck_s:
                self._entries.move_to_end(key)
                return held[2]
            current = stamp()
            value = held[2] if held is not None and held[0] == current else build()
            self._entries[key] = (current, now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
            return value

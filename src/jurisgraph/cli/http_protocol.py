"""The HTTP protocol of ``jurisgraph serve``: uvicorn's h11 protocol (which bounds the request
head to ``app.max_header_bytes``) plus a request-head timeout. uvicorn itself waits forever
for a head that never completes (its keep-alive timeout runs only between requests), so a
client sending a header a byte at a time would hold a connection open indefinitely."""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from jurisgraph.config import AppSettings


@cache
def _configured_head_timeout() -> float:
    return float(AppSettings().header_timeout_s)


class HeadTimeoutProtocol(H11Protocol):
    """Close a connection whose request head (request line and headers) has not fully arrived
    within ``head_timeout_s`` seconds of the connection opening or of the previous response."""

    #: seconds; None = ``JURISGRAPH_APP_HEADER_TIMEOUT_S`` (read once per process)
    head_timeout_s: float | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None

    def _timeout(self) -> float:
        return self.head_timeout_s if self.head_timeout_s is not None else _configured_head_timeout()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self._arm_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self._timeout(), self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        waiting_for_a_head = self.cycle is None or self.cycle.response_complete
        if waiting_for_a_head and not self.transport.is_closing():
            self.transport.close()

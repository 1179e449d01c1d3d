"""Scriptable misbehaviour of the fake portal: firewall, error statuses, delays, dropped bodies."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

WAF_PAGE = (
    b"<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. "
    b"Please consult with your administrator.<br><br>Your support ID is: 4913720851163217</body></html>"
)


@dataclass
class Fault:
    """One scripted misbehaviour for requests whose path contains ``match``; ``times`` None = always."""

    match: str
    times: int | None = 1
    status: int | None = None
    retry_after: str | None = None
    body: bytes = WAF_PAGE
    content_type: str = "text/html; charset=utf-8"
    delay_s: float = 0.0
    drop_after: int | None = None
    no_length: bool = False


class FaultScript:
    """Faults to inject; each request meets at most one fault (the first added that matches).

    ``waf`` is "off", "bare" (reject clients without browser headers) or "always", applied to
    ``waf_paths`` with status ``waf_status`` (the F5 firewall may also answer 200).
    """

    def __init__(self) -> None:
        self.waf = "off"
        self.waf_paths: tuple[str, ...] = ("/api/3/action/package_show",)
        self.waf_status = 403
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def fail(
        self,
        match: str,
        status: int,
        *,
        times: int | None = 1,
        retry_after: str | None = None,
        body: bytes = WAF_PAGE,
        content_type: str = "text/html; charset=utf-8",
    ) -> Fault:
        return self.add(Fault(match, times, status, retry_after, body, content_type))

    def slow(self, match: str, seconds: float, *, times: int | None = 1) -> Fault:
        return self.add(Fault(match, times, delay_s=seconds))

    def drop(self, match: str, after_bytes: int, *, times: int | None = 1) -> Fault:
        """Close the connection after ``after_bytes`` of the body (Content-Length announces all)."""
        return self.add(Fault(match, times, drop_after=after_bytes))

    def unsized(self, match: str, *, times: int | None = 1) -> Fault:
        """Send the body without Content-Length, ending it by closing the connection."""
        return self.add(Fault(match, times, no_length=True))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.waf = "off"

    def take(self, path: str) -> Fault | None:
        """The first fault for ``path`` with uses left (one use is consumed), in the order added."""
        with self._lock:
            for fault in self._faults:
                if fault.match in path and fault.times != 0:
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
            return None

    def blocks(self, path: str, headers: Mapping[str, str]) -> bool:
        if self.waf == "off" or not any(fragment in path for fragment in self.waf_paths):
            return False
        return self.waf == "always" or not _looks_like_browser(headers)


def _looks_like_browser(headers: Mapping[str, str]) -> bool:
    agent = headers.get("user-agent", "")
    return agent.startswith("Mozilla/5.0") and "Chrome/" in agent and "accept-language" in headers

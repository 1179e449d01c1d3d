"""Connection settings of the CKAN client, passed explicitly (never read from configuration)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from jurisgraph.kit.retry import RetryPolicy

CHROME_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)

BROWSER_HEADERS: Mapping[str, str] = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.9,*/*;q=0.8",
    "Accept-Language": "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7",
    "Accept-Encoding": "gzip, deflate",
    "Cache-Control": "no-cache",
    "Pragma": "no-cache",
    "Upgrade-Insecure-Requests": "1",
    "Sec-Ch-Ua": '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
    "Sec-Ch-Ua-Mobile": "?0",
    "Sec-Ch-Ua-Platform": '"Windows"',
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Site": "none",
    "Sec-Fetch-User": "?1",
}


@dataclass(frozen=True, slots=True)
class PortalSettings:
    """How politely and persistently to talk to a portal.

    ``request_interval_s`` is the minimum time between the starts of two requests to the same
    host (the STJ portal's robots.txt asks for 10 s). ``max_retries``, ``backoff_initial_s``,
    ``backoff_max_s`` and ``retry_after_max_s`` make the :meth:`retry_policy`. ``headers`` are
    added to (and override) the browser-like defaults.
    """

    request_interval_s: float = 10.0
    timeout_s: float = 60.0
    max_retries: int = 5
    backoff_initial_s: float = 2.0
    backoff_max_s: float = 120.0
    retry_after_max_s: float = 300.0
    user_agent: str = CHROME_USER_AGENT
    headers: Mapping[str, str] = field(default_factory=dict)
    chunk_size: int = 1 << 16

    def __post_init__(self) -> None:
        if self.request_interval_s < 0 or self.timeout_s <= 0 or self.max_retries < 0:
            raise ValueError("request_interval_s >= 0, timeout_s > 0 and max_retries >= 0 are required")
        if self.chunk_size <= 0:
            raise ValueError("chunk_size must be positive")

    def retry_policy(self) -> RetryPolicy:
        """Waits from ``backoff_initial_s`` to ``backoff_max_s``; Retry-After up to ``retry_after_max_s``."""
        return RetryPolicy(
            max_retries=self.max_retries,
            initial_wait=self.backoff_initial_s,
            max_wait=self.backoff_max_s,
            max_retry_after=self.retry_after_max_s,
        )

    def request_headers(self) -> dict[str, str]:
        """The headers sent with every request."""
        return {**BROWSER_HEADERS, "User-Agent": self.user_agent, **self.headers}

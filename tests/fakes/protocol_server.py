"""A real HTTP server on 127.0.0.1 for protocol tests: named routes, scripted replies, a request log.

Each route has a default handler and a FIFO queue of scripted replies; a request takes the
next scripted reply of its route if there is one, else the default. A scripted item is a
:class:`Reply` or a function of the :class:`Recorded` request returning one. A ``Reply``
with ``body=None`` means "the default reply, after ``delay``" (a slow but correct answer).
Subclasses (OpenAI, Gemini, Qdrant) add routes and protocol-specific helpers. ``port`` 0 picks a
free port; ``log_limit`` keeps only the last requests (for long-lived servers).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

import numpy as np


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    route: str
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    body: Any
    raw: bytes
    at: float


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: ``body`` is JSON-encoded unless it is bytes; ``None`` means the default."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class ChatTurn:
    """A scripted chat reply: its text and the token counts the server reports for it."""

    text: str
    tokens_in: int = 0
    tokens_out: int = 0


def split_text(text: str, pieces: int = 3) -> list[str]:
    """``text`` cut into up to ``pieces`` consecutive non-empty parts (stream deltas)."""
    if not text:
        return [""]
    size = max(1, -(-len(text) // pieces))
    return [text[i : i + size] for i in range(0, len(text), size)]


def sse_body(events: list[Any], *, done: bool = False) -> bytes:
    """Server-sent events: one ``data:`` line per JSON event, then ``[DONE]`` when asked."""
    lines = [f"data: {json.dumps(event)}\n\n" for event in events]
    if done:
        lines.append("data: [DONE]\n\n")
    return "".join(lines).encode("utf-8")


Handler = Callable[[Recorded], Reply]
Scripted = Reply | Handler


@dataclass
class Route:
    name: str
    method: str
    pattern: re.Pattern[str]
    default: Handler
    queue: deque[Scripted] = field(default_factory=deque)


def pseudo_vector(text: str, dim: int) -> list[float]:
    """Deterministic stand-in embedding of ``text``: not unit length (clients must normalise)."""
    seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(dim) * (0.5 + rng.random())
    return [float(x) for x in values.astype(np.float32)]


class ProtocolServer:
    """Threaded HTTP server; use as a context manager or call :meth:`start` / :meth:`stop`."""

    def __init__(self, *, port: int = 0, log_limit: int | None = None) -> None:
        self.port = port
        self.routes: list[Route] = []
        self.log: deque[Recorded] = deque(maxlen=log_limit)
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- routes and scripts ----------------------------------------------------------------
    def add_route(self, name: str, method: str, pattern: str, default: Handler) -> None:
        """``pattern`` is a full-match regex on the path (no query); named groups become params."""
        self.routes.append(Route(name, method.upper(), re.compile(pattern), default))

    def script(self, route: str, *replies: Scripted) -> None:
        """Queue replies for ``route``, used in order before its default handler."""
        with self._lock:
            self._route(route).queue.extend(replies)

    def script_times(self, route: str, times: int, reply: Scripted) -> None:
        self.script(route, *([reply] * times))

    def pending(self, route: str) -> int:
        with self._lock:
            return len(self._route(route).queue)

    def requests(self, route: str | None = None) -> list[Recorded]:
        with self._lock:
            return [r for r in self.log if route is None or r.route == route]

    def reset(self) -> None:
        with self._lock:
            self.log.clear()
            self.max_in_flight = 0
            for r in self.routes:
                r.queue.clear()

    def _route(self, name: str) -> Route:
        for r in self.routes:
            if r.name == name:
                return r
        raise KeyError(f"no route named {name!r}")

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("server not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        handler = type("BoundHandler", (_RequestHandler,), {"server_ref": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- dispatch (called from handler threads) --------------------------------------------
    def _dispatch(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Reply:
        clean = path.split("?", 1)[0]
        for route in self.routes:
            match = route.pattern.fullmatch(clean)
            if route.method == method and match:
                break
        else:
            return Reply(404, {"error": {"message": f"no route for {method} {clean}"}})
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        rec = Recorded(route.name, method, path, match.groupdict(), headers, body, raw, time.monotonic())
        with self._lock:
            self.log.append(rec)
            scripted = route.queue.popleft() if route.queue else None
        reply = scripted(rec) if callable(scripted) else scripted
        if reply is None:
            return route.default(rec)
        if reply.body is None:
            default = route.default(rec)
            return Reply(default.status, default.body, {**default.headers, **reply.headers}, reply.delay)
        return reply

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_ref: ProtocolServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def _handle(self) -> None:
        owner = self.server_ref
        owner._enter()
        try:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = owner._dispatch(self.command, self.path, headers, raw)
            if reply.delay and owner._stopping.wait(reply.delay):
                return
            payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            if not any(key.lower() == "content-type" for key in reply.headers):
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            owner._leave()

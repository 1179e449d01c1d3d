"""A real uvicorn with the serve command's protocol: a request head that never completes is
cut off; an oversized head is refused; ordinary requests and keep-alive still work."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from jurisgraph.cli.http_protocol import HeadTimeoutProtocol
from jurisgraph.cli.serve import server_limits
from jurisgraph.config import load_settings
from tests.fixtures.processes import serving


class QuickHeadTimeout(HeadTimeoutProtocol):
    head_timeout_s = 0.5


@pytest.fixture
def port() -> Iterator[int]:
    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"pong": "ok"}

    with serving(
        app,
        http=QuickHeadTimeout,
        h11_max_incomplete_event_size=4096,
        timeout_keep_alive=30,
        lifespan="off",
    ) as url:
        yield int(url.rsplit(":", 1)[1])


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_a_head_that_never_completes_is_cut_off(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        assert _read_all(sock) == b""  # closed by the server, long before the socket's own timeout


def test_an_idle_connection_after_a_response_is_cut_off_too(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        reply = _read_all(sock)  # keep-alive is 30 s: only the head timeout ends the connection
    assert reply.startswith(b"HTTP/1.1 200") and b'{"pong":"ok"}' in reply


def test_an_oversized_head_is_refused(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        # still incomplete past the 4 KiB bound: refused at once, before the head timeout
        sock.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 10_000)
        reply = _read_all(sock)
    assert reply.startswith(b"HTTP/1.1 400")


def test_serve_passes_the_connection_limits() -> None:
    limits = server_limits(load_settings())
    assert limits["http"] is HeadTimeoutProtocol
    assert limits["h11_max_incomplete_event_size"] == 16 * 1024
    assert limits["timeout_keep_alive"] == 5 and limits["limit_concurrency"] is None
    assert limits["timeout_graceful_shutdown"] == 25

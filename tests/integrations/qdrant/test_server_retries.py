"""The server adapter against a real HTTP endpoint on 127.0.0.1 that fails on purpose."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jurisgraph.errors import NotFound, RetryableUpstreamError
from jurisgraph.integrations.qdrant.server import ServerVectorIndex
from jurisgraph.kit.retry import RetryPolicy
from tests.fixtures.processes import free_port


class _Script:
    """Statuses to answer, in order; the last one repeats. Records each request path."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.paths: list[str] = []


def _handler(script: _Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            script.paths.append(self.path)
            status = script.statuses.pop(0) if len(script.statuses) > 1 else script.statuses[0]
            if status == 200:
                body = {"result": {"count": 5}, "status": "ok", "time": 0.0}
            else:
                body = {"status": {"error": f"Not found: scripted failure {status}"}, "time": 0.0}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@pytest.fixture
def serve() -> Iterator[Callable[[_Script], str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(script: _Script) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _index(url: str) -> ServerVectorIndex:
    return ServerVectorIndex(
        url=url, timeout=2, retry=RetryPolicy(max_retries=2, initial_wait=0.01, max_wait=0.02)
    )


def test_transient_failures_are_retried_then_succeed(serve: Callable[[_Script], str]) -> None:
    script = _Script(503, 502, 200)
    index = _index(serve(script))
    assert index.count("chunks") == 5
    assert script.paths == ["/collections/chunks/points/count"] * 3
    index.close()


def test_persistent_failure_raises_retryable_after_all_attempts(serve: Callable[[_Script], str]) -> None:
    script = _Script(503)
    index = _index(serve(script))
    with pytest.raises(RetryableUpstreamError):
        index.count("chunks")
    assert len(script.paths) == 3
    index.close()


def test_not_found_is_not_retried(serve: Callable[[_Script], str]) -> None:
    script = _Script(404)
    index = _index(serve(script))
    with pytest.raises(NotFound):
        index.count("chunks")
    assert len(script.paths) == 1
    index.close()


def test_refused_connection_is_retryable() -> None:
    index = _index(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(RetryableUpstreamError):
        index.count("chunks")
    index.close()

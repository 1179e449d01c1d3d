"""The fake portal's HTTP server (stdlib, one thread per connection) and its routes."""

from __future__ import annotations

import copy
import json
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from tests.fakes.ckan_portal.catalog import CONTENT_TYPES, FakeCatalog, stj_catalog
from tests.fakes.ckan_portal.faults import WAF_PAGE, Fault, FaultScript


@dataclass
class RecordedRequest:
    """A request as the server saw it; ``headers`` have lower-case names; ``at`` is monotonic."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float
    status: int | None = None


@dataclass
class _Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class FakeCkanPortal:
    """The server: ``base_url`` once started, ``faults`` to script, ``requests`` received."""

    def __init__(self, catalog: FakeCatalog | None = None) -> None:
        self.catalog = catalog or stj_catalog()
        self.faults = FaultScript()
        self.requests: list[RecordedRequest] = []
        self.base_url = ""
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> FakeCkanPortal:
        self._server = _Server(self)
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeCkanPortal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def requests_to(self, fragment: str = "") -> list[RecordedRequest]:
        """Requests whose path (without query) contains ``fragment``, in arrival order."""
        with self._lock:
            return [request for request in self.requests if fragment in request.path]

    def count(self, fragment: str = "") -> int:
        return len(self.requests_to(fragment))

    def package(self, name_or_id: str) -> dict[str, Any] | None:
        """A package as served (absolute resource URLs), by name or id."""
        for package in self.catalog.packages.values():
            if name_or_id in (package["name"], package["id"]):
                served = copy.deepcopy(package)
                for resource in served["resources"]:
                    resource["url"] = (
                        f"{self.base_url}/dataset/{package['id']}/resource/{resource['id']}/download/"
                        f"{quote(resource['name'])}"
                    )
                served["num_resources"] = len(served["resources"])
                return served
        return None


@contextmanager
def serve_ckan_portal(catalog: FakeCatalog | None = None) -> Iterator[FakeCkanPortal]:
    """Run a FakeCkanPortal for the duration of the block."""
    portal = FakeCkanPortal(catalog)
    with portal:
        yield portal


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeCkanPortal) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts in tests) are expected; other errors are reported."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def do_GET(self) -> None:
        fake = self.server.fake
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = {key: values[0] for key, values in parse_qs(split.query).items()}
        headers = {key.lower(): value for key, value in self.headers.items()}
        record = RecordedRequest("GET", path, query, headers, time.monotonic())
        fake.record(record)
        fault = fake.faults.take(path)
        if fault is not None:
            time.sleep(fault.delay_s)
        if fault is not None and fault.status is not None:
            extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            reply = _Reply(fault.status, fault.body, {"Content-Type": fault.content_type, **extra})
        elif fake.faults.blocks(path, headers):
            reply = _Reply(fake.faults.waf_status, WAF_PAGE, {"Content-Type": "text/html; charset=utf-8"})
        else:
            reply = _route(fake, path, query, headers)
        record.status = reply.status
        self._send(reply, fault)

    def _send(self, reply: _Reply, fault: Fault | None) -> None:
        drop_after = fault.drop_after if fault is not None else None
        no_length = fault is not None and fault.no_length
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if no_length:
            self.send_header("Connection", "close")
            self.close_connection = True
        elif reply.status != 304:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.status == 304:
            return
        body = reply.body if drop_after is None else reply.body[:drop_after]
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
        if drop_after is not None:
            self.close_connection = True


def _json(status: int, payload: dict[str, Any]) -> _Reply:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return _Reply(status, body, {"Content-Type": "application/json;charset=utf-8"})


def _action_reply(action: str, result: Any) -> _Reply:
    help_url = f"https://dadosabertos.web.stj.jus.br/api/3/action/help_show?name={action}"
    return _json(200, {"help": help_url, "success": True, "result": result})


def _action_error(status: int, kind: str, message: str) -> _Reply:
    return _json(status, {"help": "", "success": False, "error": {"message": message, "__type": kind}})


def _route(fake: FakeCkanPortal, path: str, query: dict[str, str], headers: dict[str, str]) -> _Reply:
    if path.startswith("/api/3/action/"):
        action = path.removeprefix("/api/3/action/").strip("/")
        if action == "package_list":
            return _action_reply(action, list(fake.catalog.listed))
        if action == "package_show":
            if "id" not in query:
                return _action_error(409, "Validation Error", "id: Missing value")
            package = fake.package(query["id"])
            return (
                _action_reply(action, package)
                if package
                else _action_error(404, "Not Found Error", "Not found")
            )
        if action == "package_search":
            return _action_reply(action, _search(fake, query))
        return _action_error(400, "Bad request", f"Bad request - Action name not known: {action}")
    parts = path.strip("/").split("/")
    if len(parts) == 6 and parts[0] == "dataset" and parts[2] == "resource" and parts[4] == "download":
        return _download(fake, parts[1], parts[3], parts[5], headers)
    return _Reply(404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html; charset=utf-8"})


def _search(fake: FakeCkanPortal, query: dict[str, str]) -> dict[str, Any]:
    text = query.get("q", "*:*").strip()
    key, _, value = text.partition(":")
    value = value.strip().strip('"')
    found = []
    for name in fake.catalog.packages:
        package = fake.package(name)
        assert package is not None
        if (
            text in ("", "*:*")
            or (key in ("name", "id") and package[key] == value)
            or (not value and text.lower() in (package["name"] + " " + package["title"]).lower())
        ):
            found.append(package)
    start, rows = int(query.get("start", "0")), int(query.get("rows", "10"))
    return {"count": len(found), "results": found[start : start + rows], "facets": {}, "search_facets": {}}


def _download(
    fake: FakeCkanPortal, package_key: str, resource_id: str, name: str, headers: dict[str, str]
) -> _Reply:
    try:
        package, resource = fake.catalog.find_resource(resource_id)
    except KeyError:
        package, resource = {}, {}
    content = fake.catalog.content(resource_id) if resource else None
    if content is None or package_key not in (package["id"], package["name"]) or resource["name"] != name:
        return _Reply(
            404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html; charset=utf-8"}
        )
    modified = datetime.fromisoformat(resource["last_modified"]).replace(tzinfo=UTC, microsecond=0)
    last_modified = format_datetime(modified, usegmt=True)
    etag = f'"{len(content):x}-{int(modified.timestamp()):x}"'
    validators = {"ETag": etag, "Last-Modified": last_modified, "Accept-Ranges": "bytes"}
    if headers.get("if-none-match") in (etag, "*") or _not_modified_since(
        headers.get("if-modified-since"), modified
    ):
        return _Reply(304, b"", validators)
    kind = {"Content-Type": CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream"), **validators}
    wanted = headers.get("range", "")
    if wanted.startswith("bytes=") and headers.get("if-range", etag) in (etag, last_modified):
        first, _, last = wanted.removeprefix("bytes=").partition("-")
        start = int(first or 0)
        end = min(int(last), len(content) - 1) if last else len(content) - 1
        if start >= len(content):
            return _Reply(416, b"", {"Content-Range": f"bytes */{len(content)}"})
        return _Reply(
            206, content[start : end + 1], {**kind, "Content-Range": f"bytes {start}-{end}/{len(content)}"}
        )
    return _Reply(200, content, kind)


def _not_modified_since(value: str | None, modified: datetime) -> bool:
    if not value:
        return False
    try:
        since = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return False
    return modified <= since

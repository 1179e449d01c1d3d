"""The smoke's document step against a scripted server (uploads are another domain's routes):
skipped without /api/v1/documents, through to embedded with them, failing at an error status."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from jurisgraph.smoke import runner

Handler = Callable[[httpx.Request], httpx.Response]


def _server(
    statuses: list[str], *, with_documents: bool = True, reply_shape: str = "list"
) -> tuple[Handler, list[str]]:
    calls: list[str] = []
    remaining = list(statuses)

    def handle(request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        calls.append(f"{method} {path}")
        if path == "/openapi.json":
            paths = {"/api/v1/documents": {"post": {}, "get": {}}} if with_documents else {}
            return httpx.Response(200, json={"paths": paths})
        if path == "/api/v1/documents" and method == "POST":
            assert b'name="files"; filename="smoke.txt"' in request.content
            document = {"id": 7, "status": "uploaded"}
            body = {"list": [document], "object": document, "wrapped": {"documents": [document]}}[reply_shape]
            return httpx.Response(201, json=body)
        if path == "/api/v1/documents/7" and method == "GET":
            status = remaining.pop(0)
            return httpx.Response(200, json={"id": 7, "status": status, "error_message": "PDF sem texto"})
        if path == "/api/v1/documents/7" and method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(404, json={"error": "not_found"})

    return handle, calls


def _document(handler: Handler) -> runner.Step:
    smoke = runner.Smoke(
        runner.Options("http://server.test", "jg_key"), transport=httpx.MockTransport(handler)
    )
    smoke.poll_s = 0.0
    try:
        return runner._timed("document", smoke.document)
    finally:
        smoke.close()


def test_skipped_without_uploads() -> None:
    handler, calls = _server([], with_documents=False)
    step = _document(handler)
    assert step.status == "skipped" and "/api/v1/documents" in step.detail
    assert calls == ["GET /openapi.json"]


def test_through_to_embedded_then_deleted() -> None:
    for shape in ("list", "object", "wrapped"):
        handler, calls = _server(["extracting", "chunked", "embedding", "embedded"], reply_shape=shape)
        step = _document(handler)
        assert step.status == "ok", (shape, step)
        assert calls.count("GET /api/v1/documents/7") == 4
        assert calls[-1] == "DELETE /api/v1/documents/7"


def test_an_error_status_fails_naming_it_and_still_deletes() -> None:
    handler, calls = _server(["extracting", "error"])
    step = _document(handler)
    assert step.status == "fail"
    assert "document 7 stopped at error PDF sem texto" in step.detail
    assert calls[-1] == "DELETE /api/v1/documents/7"


def test_a_refused_upload_fails() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/openapi.json":
            return httpx.Response(200, json={"paths": {"/api/v1/documents": {"post": {}}}})
        return httpx.Response(413, content=json.dumps({"error": "too_large"}))

    step = _document(handle)
    assert step.status == "fail" and "answered 413" in step.detail

"""The one request helper of the pages (static/app.js ``jg.fetch``): the CSRF header from the
``jurisgraph_csrf`` cookie on unsafe requests only, 401 to the login page with the way back, 429 told
with the wait from Retry-After."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_unsafe_requests_carry_the_csrf_cookie_as_a_header(sample_server: str, page_1366: Any) -> None:
    page = page_1366
    host = urlparse(sample_server).hostname
    page.context.add_cookies([{"name": "jurisgraph_csrf", "value": "tok%3Den", "domain": host, "path": "/"}])
    seen: dict[str, dict[str, str]] = {}

    def record(route: Any) -> None:
        seen[route.request.method] = route.request.headers
        route.fulfill(status=202, json={"job_id": "x"})

    page.route("**/api/v1/csrf-probe", record)
    page.goto(sample_server + "/consulta")
    page.evaluate("() => jg.post('/api/v1/csrf-probe', {})")
    page.evaluate("() => jg.json('/api/v1/csrf-probe')")
    assert seen["POST"].get("x-csrf-token") == "tok=en"
    assert "x-csrf-token" not in seen["GET"]


def test_no_cookie_no_header(sample_server: str, page_1366: Any) -> None:
    page = page_1366
    seen: list[dict[str, str]] = []
    page.route(
        "**/api/v1/csrf-probe", lambda route: (seen.append(route.request.headers), route.fulfill(json={}))
    )
    page.goto(sample_server + "/consulta")
    page.evaluate("() => jg.post('/api/v1/csrf-probe', {})")
    assert seen and "x-csrf-token" not in seen[0]


def test_a_429_tells_how_long_to_wait(sample_server: str, page_1366: Any) -> None:
    page = page_1366
    page.route(
        "**/api/v1/ask/stream*",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "17"},
            json={"error": "rate_limited", "detail": "10 per minute"},
        ),
    )
    page.goto(sample_server + "/consulta")
    page.fill("#ask-form textarea[name=q]", "Tema 1.076")
    page.click("#ask-button")
    expect(page.locator(".toast")).to_have_text("limite de consultas atingido, tente em 17 s")
    expect(page.locator(".msg.assistant .answer .error")).to_contain_text("tente em 17 s")


def test_a_401_goes_to_login_and_back(sample_server: str, page_1366: Any) -> None:
    page = page_1366
    page.route("**/api/v1/queries*", lambda route: route.fulfill(status=401, json={"error": "unauthorized"}))
    page.route("**/login*", lambda route: route.fulfill(status=200, body="login", content_type="text/html"))
    page.goto(sample_server + "/consulta?x=1")
    page.wait_for_url("**/login?next=*")
    assert page.url == sample_server + "/login?next=%2Fconsulta%3Fx%3D1"

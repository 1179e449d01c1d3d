"""A real server on 127.0.0.1 and a real headless Chromium for browser tests."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.auth.service import create_user
from jurisgraph.config import Settings
from jurisgraph.db import build_engine, build_sessionmaker, session_scope
from tests.fixtures.accounts import ADMIN_EMAIL, PASSWORD, USER_EMAIL, add_user
from tests.fixtures.processes import serving
from tests.fixtures.sample import Sample

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: records every Content-Security-Policy violation of a page (runs before the page's own scripts)
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def add_account(database_url: str, email: str, *, role: str) -> None:
    """Create a user (password ``PASSWORD``) in the database at ``database_url`` before serving it."""
    engine = build_engine(database_url)
    try:
        with session_scope(build_sessionmaker(engine)) as session:
            create_user(session, email=email, password=PASSWORD, role=role)
    finally:
        engine.dispose()


def sign_in_page(page: Any, base_url: str, email: str = ADMIN_EMAIL) -> None:
    """Sign the browser context of ``page`` in (it keeps the session and CSRF cookies)."""
    response = page.request.post(base_url + "/api/v1/auth/login", data={"email": email, "password": PASSWORD})
    assert response.ok, response.text()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by uvicorn in a thread, on an empty migrated home folder."""
    home = tmp_path_factory.mktemp("web-home")
    settings = Settings()
    settings.app.home = home
    settings.database.url = f"sqlite:///{home / 'jurisgraph.db'}"
    settings.app.log_level = "WARNING"
    settings.auth.jwt_secret = SecretStr(secrets.token_hex(32))
    migrations.upgrade(settings.database_url)
    add_account(settings.database_url, ADMIN_EMAIL, role="admin")
    with serving(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="session")
def sample_server(sample: Sample) -> Iterator[str]:
    """The app on the shared ingested sample (its container, as ``sample_api``), served by uvicorn;
    an admin (``ADMIN_EMAIL``) and a user (``USER_EMAIL``) can sign in with ``sign_in_page``."""
    add_user(sample.container, ADMIN_EMAIL, role="admin")
    add_user(sample.container, USER_EMAIL, role="user")
    app = create_app(sample.settings)
    with serving(app) as url:
        own = app.state.container
        app.state.container = sample.container
        try:
            yield url
        finally:
            app.state.container = own


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where browser tests save their screenshots (``JURISGRAPH_TEST_ARTIFACTS`` or
    ``test-artifacts/``, then ``screenshots/``); printed so CI can keep the folder."""
    root = Path(os.environ.get("JURISGRAPH_TEST_ARTIFACTS") or Path.cwd() / "test-artifacts")
    folder = root / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture
def page_1366(browser: Any) -> Iterator[Any]:
    """A fresh page at 1366×768 that records JavaScript errors, console errors and CSP violations
    (``page.problems()``: every one seen so far)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="pt-BR")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    seen: list[str] = []
    page.on("pageerror", lambda error: seen.append(f"pageerror: {error}"))

    def on_response(response: Any) -> None:
        if response.status >= 400:
            seen.append(f"http {response.status}: {response.url}")

    def on_console(message: Any) -> None:
        if message.type == "error":
            seen.append(f"console.error: {message.text}")

    page.on("requestfailed", lambda request: seen.append(f"requestfailed: {request.url}"))
    page.on("response", on_response)
    page.on("console", on_console)

    def problems() -> list[str]:
        violations = page.evaluate("() => window.__cspViolations || []")
        return seen + [f"csp: {v}" for v in violations]

    page.problems = problems
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium from the system package, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()

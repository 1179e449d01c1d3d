"""A real server on 127.0.0.1 and a real headless Chromium for browser tests."""

from __future__ import annotations

import secrets
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from pydantic import SecretStr

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.auth.service import create_user
from jurisgraph.config import Settings
from jurisgraph.db import build_engine, build_sessionmaker, session_scope
from tests.fixtures.accounts import ADMIN_EMAIL, PASSWORD

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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
    engine = build_engine(settings.database_url)
    try:
        with session_scope(build_sessionmaker(engine)) as session:
            create_user(session, email=ADMIN_EMAIL, password=PASSWORD, role="admin")
    finally:
        engine.dispose()
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


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

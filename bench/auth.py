"""Benchmark of what authentication adds to a request.

On an empty embedded home (SQLite), times ``GET /api/v1/graph/stats`` (a cheap read) as an anonymous
caller, with the session cookie, with a bearer session token and with an API key, and a password
login (argon2 verification). Prints the median per request and the ratio to the anonymous one; the
query rate limit is lifted so that only authentication is measured.
Run: ``python bench/auth.py [--requests N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import summary
from fastapi.testclient import TestClient

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.auth import service
from jurisgraph.config import load_settings
from jurisgraph.db import session_scope
from jurisgraph.runtime import Container

PASSWORD = "benchmark password 1"


def timed(call: Callable[[], object], n: int) -> float:
    """Median milliseconds of ``n`` calls (after 5 warm-up calls)."""
    for _ in range(5):
        call()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    summary.add_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["JURISGRAPH_HOME"] = str(Path(folder) / "home")
        os.environ["JURISGRAPH_AUTH_QUERY_RATE_LIMIT"] = "1000000/minute"
        os.environ["LOG_LEVEL"] = "WARNING"
        settings = load_settings()
        settings.pipeline.embed_on_start = False
        settings.home.mkdir(parents=True, exist_ok=True)
        migrations.upgrade(settings.database_url)
        container = Container.build(settings)
        with session_scope(container.sessions) as session:
            user = service.create_user(session, email="bench@example.org", password=PASSWORD)
            token = service.session_token(user, settings.auth)
            _, key = service.create_key(session, user.id, name="bench")
        container.close()

        with TestClient(create_app(settings)) as client:
            cookie_client = TestClient(client.app)
            credentials = {"email": "bench@example.org", "password": PASSWORD}
            cookie_client.post("/api/v1/auth/login", json=credentials)
            path = "/api/v1/graph/stats"
            results = {
                "anonymous": timed(lambda: client.get(path), args.requests),
                "cookie": timed(lambda: cookie_client.get(path), args.requests),
                "bearer token": timed(
                    lambda: client.get(path, headers={"Authorization": f"Bearer {token}"}), args.requests
                ),
                "api key": timed(
                    lambda: client.get(path, headers={"Authorization": f"Bearer {key}"}), args.requests
                ),
            }
            login = timed(
                lambda: TestClient(client.app).post("/api/v1/auth/login", json=credentials),
                20,
            )
    base = results["anonymous"]
    print(f"GET {path}, median of {args.requests} requests (in-process client, SQLite)")
    for name, ms in results.items():
        print(f"  {name:<13} {ms:7.2f} ms   x{ms / base:.2f}")
    print(f"password login (argon2)  {login:7.2f} ms")
    figures = {f"{name.replace(' ', '_')}_ms": ms for name, ms in results.items()}
    figures |= {
        f"{name.replace(' ', '_')}_ratio": ms / base for name, ms in results.items() if name != "anonymous"
    }
    summary.write(args.summary, figures | {"login_ms": login})


if __name__ == "__main__":
    main()

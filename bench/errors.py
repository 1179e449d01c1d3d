"""Benchmark of an unhandled error in the request path: time to the 500 reply and bytes logged,
with the service's log configuration against structlog's default development renderer (a rich
traceback with local variables, what the console used before), over the real app with a
failing route injected, on an empty embedded home.

Run: ``python bench/errors.py [--requests N]``. Prints per-error milliseconds and log bytes for
both renderers and their ratios.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import sys
import tempfile
import time

import structlog
import summary
from fastapi.testclient import TestClient

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.config import load_settings
from jurisgraph.logging import configure_logging


def _app_with_failing_route() -> TestClient:
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    app = create_app(settings)

    @app.get("/bench/fail")
    def fail() -> None:
        rows = [{"id": i, "text": "x" * 200} for i in range(500)]  # locals a rich traceback would render
        raise RuntimeError(f"injected failure after {len(rows)} rows")

    return TestClient(app, raise_server_exceptions=False)


def _measure(client: TestClient, sink: io.StringIO, requests: int) -> tuple[float, float]:
    times = []
    sink.seek(0)
    sink.truncate()
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/bench/fail")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 500
    return statistics.median(times), len(sink.getvalue().encode()) / requests


def _point_console_at(sink: io.StringIO, *, old_renderer: bool) -> None:
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(sink)
    if old_renderer:
        handler.setFormatter(
            structlog.stdlib.ProcessorFormatter(
                processors=[
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.dev.ConsoleRenderer(colors=False),
                ]
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=10)
    summary.add_option(parser)
    args = parser.parse_args()
    os.environ["JURISGRAPH_HOME"] = tempfile.mkdtemp(prefix="jurisgraph-bench-errors-")
    results = {}
    with _app_with_failing_route() as client:
        for name, old in (("default dev renderer (rich, locals)", True), ("service configuration", False)):
            configure_logging("INFO")  # the dev console, as `jurisgraph serve` sets it up
            sink = io.StringIO()
            _point_console_at(sink, old_renderer=old)
            results[name] = _measure(client, sink, args.requests)
    configure_logging("WARNING")
    (old_ms, old_bytes), (new_ms, new_bytes) = results.values()
    print(f"{'renderer':<40} {'ms/error (median)':>18} {'log bytes/error':>16}", file=sys.stdout)
    for name, (ms, size) in results.items():
        print(f"{name:<40} {ms:>18.1f} {size:>16.0f}")
    print(f"ratio old/new: time {old_ms / new_ms:.0f}x, log size {old_bytes / new_bytes:.0f}x")
    figures = {"error_ms": new_ms, "log_bytes": new_bytes, "dev_error_ms": old_ms, "dev_log_bytes": old_bytes}
    summary.write(args.summary, figures | {"time_ratio": old_ms / new_ms, "log_ratio": old_bytes / new_bytes})


if __name__ == "__main__":
    main()

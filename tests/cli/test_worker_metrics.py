"""`jurisgraph worker --processes 2 --metrics-port P`: the parent serves /metrics adding up its two
processes (prometheus-client multiprocess mode), so a worker machine can be scraped on its own."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from jurisgraph.datasets import service
from tests.fixtures.homes import container_at
from tests.fixtures.paths import ROOT
from tests.fixtures.processes import free_port, process_env, stop

pytestmark = pytest.mark.slow

TIMEOUT_S = 90.0


def stage_runs(text: str, stage: str) -> float:
    """How many runs of pipeline ``stage`` ended well, in an exposition ``text``."""
    for family in text_string_to_metric_families(text):
        if family.name == "jurisgraph_pipeline_stage_duration_seconds":
            wanted = {"stage": stage, "outcome": "ok"}
            return sum(
                s.value
                for s in family.samples
                if s.name.endswith("_count") and {k: s.labels.get(k) for k in wanted} == wanted
            )
    return 0.0


def test_a_worker_parent_serves_the_metrics_of_its_processes(
    tmp_path: Path, small_mirror: Path, qdrant_http: str, redis_prefix: tuple[str, str]
) -> None:
    redis_url, prefix = redis_prefix
    home = tmp_path / "home"
    variables = {
        "JURISGRAPH_HOME": str(home),
        "REDIS_URL": redis_url,
        "JURISGRAPH_REDIS_KEY_PREFIX": prefix,
        "QDRANT_URL": qdrant_http,
        "JWT_SECRET": secrets.token_hex(32),
        "JURISGRAPH_PORTAL_URL": str(small_mirror),
        "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
        "JURISGRAPH_APP_LOG_LEVEL": "WARNING",
    }
    port = free_port()
    env = process_env(variables)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with container_at(home, **variables) as container:
        log = tmp_path / "worker.log"
        with log.open("wb") as out:
            worker = subprocess.Popen(
                [sys.executable, "-m", "jurisgraph.cli.main", "worker", "--processes", "2", "--threads", "1",
                 "--metrics-port", str(port)],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            runs = 2
            for _ in range(runs):
                job = service.start_sync(container)
                container.jobs().wait(job, timeout=TIMEOUT_S)
            deadline = time.monotonic() + TIMEOUT_S
            while True:
                try:
                    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
                except httpx.TransportError:
                    text = ""
                if stage_runs(text, "sync") >= runs or time.monotonic() > deadline:
                    break
                time.sleep(0.3)
            assert stage_runs(text, "sync") == runs, log.read_text()[-2000:]
            assert (home / "metrics-worker").is_dir()
        finally:
            stop(worker)

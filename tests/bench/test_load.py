"""The users phase of ``bench/load.py`` (its clients: ``bench/load_clients.py``) against the real
app served on 127.0.0.1 over the ingested sample: accounts made through the admin API, every kind
of request sent and answered, the request bound kept, and every accepted upload followed to
``embedded``."""

from __future__ import annotations

import argparse
import asyncio
import itertools
from pathlib import Path

import pytest

from jurisgraph.app import create_app
from jurisgraph.config import Settings
from tests.fixtures.accounts import add_user
from tests.fixtures.bench import bench_module
from tests.fixtures.processes import serving
from tests.fixtures.sample import ingest_sample

clients = bench_module("load_clients", "peca")


def _args(**given: float) -> argparse.Namespace:
    values = {"duration": 20.0, "warmup": 0.0, "max_requests": 0, "upload_every": 5, "settle": 120.0}
    return argparse.Namespace(**(values | given))


def test_user_mix_uploads_every_nth_request_new_files() -> None:
    catalogue = clients.Catalogue(("tema:1076", "sumula:7"), ("Tema", "Súmula"), ("c0",))
    calls = list(itertools.islice(clients.user_mix(0, 3, catalogue, 10), 200))
    uploads = [n for n, call in enumerate(calls, 1) if call.kind == "upload"]
    assert uploads == list(range(10, 201, 10))
    bodies = [call.files[0][1][1] for call in calls if call.kind == "upload"]
    assert len(set(bodies)) == len(bodies)
    assert {call.files[0][1][2] for call in calls if call.kind == "upload"} == {
        "application/pdf",
        "text/plain",
    }
    assert bodies[0].startswith(b"%PDF") or bodies[1].startswith(b"%PDF")
    assert {call.kind for call in calls} == set(clients.KINDS)
    again = list(itertools.islice(clients.user_mix(0, 3, catalogue, 10), 200))
    assert [(c.kind, c.path, c.params, c.body) for c in again] == [
        (c.kind, c.path, c.params, c.body) for c in calls
    ]


def test_budget_bounds_the_requests() -> None:
    budget = clients.Budget(3)
    assert [budget.take() for _ in range(5)] == [True, True, True, False, False]
    assert all(clients.Budget().take() for _ in range(1000))


@pytest.fixture
def sample_settings(tmp_path: Path) -> Settings:
    """The sample ingested into this test's home, with the benchmark's admin; the container closed
    so that the served app opens the home (and its embedded vector store) itself."""
    sample = ingest_sample(tmp_path / "load-home")
    try:
        add_user(sample.container, clients.ADMIN, role="admin", password=clients.PASSWORD)
    finally:
        sample.container.close()
    return sample.settings


def test_users_phase_sends_every_kind_and_every_upload_embeds(sample_settings: Settings) -> None:
    app = create_app(sample_settings)
    with serving(app) as base:
        measured = asyncio.run(clients.run_users(base, 3, _args(max_requests=60), seed=1, pid=None))
    kinds = {s.kind for s in measured.samples}
    assert kinds == set(clients.KINDS), kinds
    assert len(measured.samples) == 60
    failed = [s for s in measured.samples if not s.ok]
    assert failed == []
    uploads = measured.uploads
    assert uploads["accepted"] == sum(1 for s in measured.samples if s.kind == "upload") > 0
    assert (uploads["embedded"], uploads["failed"], uploads["pending"]) == (uploads["accepted"], 0, 0)

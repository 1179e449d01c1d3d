"""The jobs runner refuses new jobs of a kind beyond a global cap and a per-requester cap."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from jurisgraph import migrations
from jurisgraph.config import load_settings
from jurisgraph.db import build_engine, build_sessionmaker, session_scope
from jurisgraph.errors import TooManyJobs
from jurisgraph.jobs import InProcessJobs
from jurisgraph.models import User


@pytest.fixture
def jobs() -> Iterator[InProcessJobs]:
    settings = load_settings()
    migrations.upgrade(settings.database_url)
    engine = build_engine(settings.database_url)
    sessions = build_sessionmaker(engine)
    with session_scope(sessions) as session:
        session.add_all([User(id=n, open_id=f"local:{n}", email=f"u{n}@example.org") for n in (7, 8, 9)])
    runner = InProcessJobs(sessions, workers=4)
    yield runner
    runner.close()
    engine.dispose()


def test_caps_global_and_per_requester(jobs: InProcessJobs) -> None:
    release = threading.Event()

    def blocked(job_id: str, progress: Any) -> dict[str, Any]:
        release.wait(30)
        return {}

    caps = {"max_active": 3, "max_active_per_user": 2}
    first = [jobs.submit("ingest", {}, blocked, user_id=7, **caps) for _ in range(2)]
    with pytest.raises(TooManyJobs) as per_user:
        jobs.submit("ingest", {}, blocked, user_id=7, **caps)
    assert per_user.value.status_code == 429
    third = jobs.submit("ingest", {}, blocked, user_id=8, **caps)
    with pytest.raises(TooManyJobs):
        jobs.submit("ingest", {}, blocked, user_id=9, **caps)
    with pytest.raises(TooManyJobs):
        jobs.submit("ingest", {}, blocked, **caps)
    other_kind = jobs.submit("embed", {}, blocked, **caps)  # the caps count one kind
    assert jobs.active("ingest") == 3 and jobs.active("ingest", user_id=7) == 2
    release.set()
    for job_id in [*first, third, other_kind]:
        jobs.wait(job_id, timeout=30)
    assert jobs.active() == 0
    jobs.wait(jobs.submit("ingest", {}, blocked, user_id=7, **caps), timeout=30)

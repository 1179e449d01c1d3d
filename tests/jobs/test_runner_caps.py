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
from jurisgraph.jobs import InProcessJobs, handler
from jurisgraph.models import User

RELEASE = threading.Event()


@handler("test_blocked")
@handler("test_blocked_other")
def blocked(context: Any, job_id: str, payload: dict[str, Any], progress: Any) -> dict[str, Any]:
    RELEASE.wait(30)
    return {}


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
    RELEASE.clear()
    caps = {"max_active": 3, "max_active_per_user": 2}
    first = [jobs.submit("test_blocked", {}, user_id=7, **caps) for _ in range(2)]
    with pytest.raises(TooManyJobs) as per_user:
        jobs.submit("test_blocked", {}, user_id=7, **caps)
    assert per_user.value.status_code == 429
    third = jobs.submit("test_blocked", {}, user_id=8, **caps)
    with pytest.raises(TooManyJobs):
        jobs.submit("test_blocked", {}, user_id=9, **caps)
    with pytest.raises(TooManyJobs):
        jobs.submit("test_blocked", {}, **caps)
    other_kind = jobs.submit("test_blocked_other", {}, **caps)  # the caps count one kind
    assert jobs.active("test_blocked") == 3 and jobs.active("test_blocked", user_id=7) == 2
    RELEASE.set()
    for job_id in [*first, third, other_kind]:
        jobs.wait(job_id, timeout=30)
    assert jobs.active() == 0
    jobs.wait(jobs.submit("test_blocked", {}, user_id=7, **caps), timeout=30)

"""Start-up of a deployed process: wait for the database, then migrate once under a lock so that N
replicas starting together do not race (MySQL/MariaDB ``GET_LOCK``; a file lock beside a SQLite
database; other databases are migrated without a lock)."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from jurisgraph import migrations
from jurisgraph.errors import ServiceUnavailable

LOCK_NAME = "jurisgraph_migrations"


@dataclass(frozen=True)
class MigrationOutcome:
    """What :func:`upgrade_once` found and did."""

    before: str | None
    after: str | None
    waited_s: float

    @property
    def migrated(self) -> bool:
        """True when this process ran the migrations."""
        return self.before != self.after


def wait_for_database(
    url: str, timeout_s: float, *, interval_s: float = 1.0, sleep: Callable[[float], None] = time.sleep
) -> float:
    """Poll ``SELECT 1`` until the database answers; the seconds waited. Raises
    :class:`ServiceUnavailable` naming the last error after ``timeout_s``. A SQLite database's
    folder is created (the file is created by the first migration)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, poolclass=NullPool)
    start = time.monotonic()
    try:
        while True:
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                return time.monotonic() - start
            except Exception as exc:
                waited = time.monotonic() - start
                if waited >= timeout_s:
                    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                    raise ServiceUnavailable(
                        f"database not reachable after {waited:.0f} s: {type(exc).__name__}: {first}"
                    ) from exc
                sleep(min(interval_s, max(0.0, timeout_s - waited)))
    finally:
        engine.dispose()


def _known_revisions(url: str) -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrations.alembic_config(url))
    return {revision.revision for revision in script.walk_revisions()}


def wait_for_schema(
    url: str, timeout_s: float, *, interval_s: float = 2.0, sleep: Callable[[float], None] = time.sleep
) -> str | None:
    """Poll until the database is at this version's head, or at a revision this version does not
    know (a newer release migrated it: expand-only migrations keep older pods working); the revision
    found. Raises :class:`ServiceUnavailable` after ``timeout_s`` when it stays behind."""
    head = migrations.head_revision()
    known = _known_revisions(url)
    engine = create_engine(url, poolclass=NullPool)
    start = time.monotonic()
    try:
        while True:
            current = migrations.current_revision(engine)
            if current == head or (current is not None and current not in known):
                return current
            waited = time.monotonic() - start
            if waited >= timeout_s:
                raise ServiceUnavailable(
                    f"database at {current or '(empty)'} after {waited:.0f} s, this version needs {head}:"
                    " run the migration job (`jurisgraph entrypoint migrate`) first"
                )
            sleep(min(interval_s, max(0.0, timeout_s - waited)))
    finally:
        engine.dispose()


@contextmanager
def migration_lock(url: str, timeout_s: float) -> Iterator[float]:
    """Hold the migration lock of the database at ``url``; yields the seconds waited for it."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        with _file_lock(url, timeout_s) as waited:
            yield waited
        return
    if backend != "mysql":
        yield 0.0
        return
    engine = create_engine(url, poolclass=NullPool)
    start = time.monotonic()
    try:
        with engine.connect() as conn:
            got = conn.execute(
                text("SELECT GET_LOCK(:name, :timeout)"), {"name": LOCK_NAME, "timeout": timeout_s}
            )
            if got.scalar() != 1:
                raise ServiceUnavailable(f"another process held the migration lock for {timeout_s:.0f} s")
            try:
                yield time.monotonic() - start
            finally:
                conn.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": LOCK_NAME})
    finally:
        engine.dispose()


@contextmanager
def _file_lock(url: str, timeout_s: float) -> Iterator[float]:
    database = make_url(url).database
    if not database or database == ":memory:":
        yield 0.0
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".migrate.lock")
    start = time.monotonic()
    with lock_path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                if time.monotonic() - start >= timeout_s:
                    raise ServiceUnavailable(
                        f"another process held the migration lock {lock_path} for {timeout_s:.0f} s"
                    ) from exc
                time.sleep(0.1)
        try:
            yield time.monotonic() - start
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def upgrade_once(
    url: str, lock_timeout_s: float = 600.0, after: Callable[[], None] | None = None
) -> MigrationOutcome:
    """Migrate to head unless already there, under the lock; ``after`` runs under the lock too
    (the first admin). The process that finds the database at head does nothing."""
    with migration_lock(url, lock_timeout_s) as waited:
        engine = create_engine(url, poolclass=NullPool)
        try:
            before = migrations.current_revision(engine)
            head = migrations.head_revision()
            # a revision this version does not know was written by a newer release (a rollback to
            # this image): leave it as it is
            if before != head and (before is None or before in _known_revisions(url)):
                migrations.upgrade(url)
            current = migrations.current_revision(engine)
        finally:
            engine.dispose()
        if after is not None:
            after()
    return MigrationOutcome(before=before, after=current, waited_s=waited)

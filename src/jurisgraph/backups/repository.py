"""SQL of backups: rows per table, whether a database is empty, scratch databases for verify,
and storage paths moved with a restored storage folder."""

from __future__ import annotations

from sqlalchemy import Engine, func, inspect, select, table, text, update

from jurisgraph.db import Session
from jurisgraph.models import Resource

SCHEMA_TABLE = "alembic_version"
"""Holds the schema revision: one row even in a freshly migrated, otherwise empty database."""


def table_counts(session: Session) -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    names = inspect(session.connection()).get_table_names()
    return {
        name: int(session.scalar(select(func.count()).select_from(table(name))) or 0)
        for name in sorted(names)
    }


def rows_besides_schema(session: Session) -> dict[str, int]:
    """The tables that hold rows, other than the schema revision's table (empty = nothing to lose)."""
    return {name: n for name, n in table_counts(session).items() if n and name != SCHEMA_TABLE}


def create_database(server: Engine, name: str) -> None:
    """Create an empty utf8mb4 database ``name`` on a MySQL/MariaDB server."""
    with server.begin() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))


def drop_database(server: Engine, name: str) -> None:
    """Drop database ``name`` on a MySQL/MariaDB server if it exists."""
    with server.begin() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))


def rebase_storage_paths(session: Session, old_root: str, new_root: str) -> int:
    """Point resources stored under ``old_root`` at the same files under ``new_root``; returns how many."""
    prefix = old_root.rstrip("/") + "/"
    rows = session.execute(
        select(Resource.id, Resource.storage_path).where(
            Resource.storage_path.startswith(prefix, autoescape=True)
        )
    ).all()
    target = new_root.rstrip("/") + "/"
    for row_id, path in rows:
        session.execute(
            update(Resource)
            .where(Resource.id == row_id)
            # the row did not change, its file moved: keep updated_at as it was
            .values(storage_path=target + str(path)[len(prefix) :], updated_at=Resource.updated_at)
        )
    return len(rows)


def sqlite_file_counts(path: str) -> tuple[dict[str, int], str | None]:
    """Rows per table and the schema revision of a SQLite file, opened read-only (left unchanged)."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with Session(engine) as session:
            counts = table_counts(session)
            revision = MigrationContext.configure(session.connection()).get_current_revision()
        return counts, revision
    finally:
        engine.dispose()

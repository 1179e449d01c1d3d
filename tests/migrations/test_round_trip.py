"""Every migration's downgrade works with data in the tables: for each revision, from head down to
the one before it and up to head again, on SQLite and on MariaDB. The revisions are read from the
migration scripts, so a new one is covered without touching this test."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from typer.testing import CliRunner

from jurisgraph import migrations
from jurisgraph.cli.main import app
from jurisgraph.models import Base

ROWS = 3


def _revisions_oldest_first() -> list[tuple[str, str]]:
    """(revision, the revision before it) of every shipped migration but the first."""
    script = ScriptDirectory.from_config(migrations.alembic_config("sqlite://"))
    pairs = [(rev.revision, rev.down_revision) for rev in script.walk_revisions() if rev.down_revision]
    assert all(isinstance(down, str) for _, down in pairs), "branched migrations are not expected"
    return [(rev, str(down)) for rev, down in reversed(pairs)]


def _value(column: sa.Column[Any], i: int, parents: dict[str, list[Any]]) -> Any:
    """A plausible value of ``column`` for the ``i``-th row (foreign keys point at parent rows)."""
    for fk in column.foreign_keys:
        return parents[fk.column.table.name][i % len(parents[fk.column.table.name])]
    kind = column.type
    if isinstance(kind, sa.Enum) and kind.enums:
        return kind.enums[0]
    python: type[Any] | None
    try:
        python = kind.python_type
    except NotImplementedError:
        python = None
    if python is bool:
        return i % 2 == 0
    if python is int:
        return i + 1
    if python is float:
        return 0.5 + i
    if python is dt.datetime:
        return dt.datetime(2026, 1, 1 + i, 12, 0, 0)
    if python is dt.date:
        return dt.date(2026, 1, 1 + i)
    if python is bytes:
        return bytes([i]) * 8
    if python in (dict, list) or isinstance(kind, sa.JSON):
        return {"row": i}
    if isinstance(python, type) and issubclass(python, enum.Enum):
        return next(iter(python))
    length = getattr(kind, "length", None) or 64
    return f"{column.name[:8]}-{i}"[:length]


def _fill(url: str, only: set[str] | None = None) -> dict[str, int]:
    """``ROWS`` rows in every table of the models, or in those named in ``only`` (parents first,
    foreign keys pointing at the rows already there); the rows per table."""
    engine = create_engine(url)
    parents: dict[str, list[Any]] = {}
    try:
        with engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                if only is not None and table.name not in only:
                    pk = table.primary_key.columns.values()[0]
                    parents[table.name] = list(conn.execute(sa.select(pk)).scalars())
                    continue
                keys = []
                for i in range(ROWS):
                    row = {
                        c.name: _value(c, i, parents)
                        for c in table.columns
                        if not (c.primary_key and c.autoincrement is True and not c.foreign_keys)
                        and not (
                            c.primary_key
                            and isinstance(c.type, sa.Integer)
                            and not c.foreign_keys
                            and len(table.primary_key.columns) == 1
                        )
                    }
                    result = conn.execute(table.insert().values(**row))
                    pk = table.primary_key.columns.values()[0]
                    keys.append(row.get(pk.name, result.inserted_primary_key[0]))
                parents[table.name] = keys
        return _counts(engine)
    finally:
        engine.dispose()


def _counts(engine: sa.Engine) -> dict[str, int]:
    names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    with engine.connect() as conn:
        return {name: conn.execute(sa.text(f"SELECT COUNT(*) FROM {name}")).scalar_one() for name in names}


def test_every_downgrade_keeps_the_data_of_the_tables_it_keeps(empty_db_url: str) -> None:
    migrations.upgrade(empty_db_url)
    filled = _fill(empty_db_url)
    assert set(filled) >= set(Base.metadata.tables) and min(filled.values()) == ROWS
    engine = create_engine(empty_db_url)
    rounds = 0
    try:
        for revision, previous in reversed(_revisions_oldest_first()):
            rounds += 1
            migrations.downgrade(empty_db_url, previous)
            assert migrations.current_revision(engine) == previous
            down = _counts(engine)
            assert down == {name: filled[name] for name in down}, f"rows lost downgrading {revision}"
            migrations.upgrade(empty_db_url)
            assert migrations.current_revision(engine) == migrations.head_revision()
            differences = migrations.pending_differences(engine)
            assert differences == [], f"schema differs after re-applying {revision}"
            up = _counts(engine)
            kept = {name: count for name, count in up.items() if name in down}
            assert kept == {name: filled[name] for name in down}, f"rows lost re-applying {revision}"
            # a table the downgrade dropped comes back empty: fill it again for the next round
            dropped = set(up) - set(down)
            assert all(up[name] == 0 for name in dropped)
            if dropped:
                filled = _fill(empty_db_url, dropped)
                assert all(filled[name] == ROWS for name in dropped)
    finally:
        engine.dispose()
    assert rounds == len(_revisions_oldest_first()) >= 7


def test_db_downgrade_command_goes_back_one_revision(
    empty_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_db_url)
    migrations.upgrade(empty_db_url)
    _, previous = _revisions_oldest_first()[-1]
    runner = CliRunner()
    result = runner.invoke(app, ["db", "downgrade", previous])
    assert result.exit_code == 0, result.output
    engine = create_engine(empty_db_url)
    try:
        assert migrations.current_revision(engine) == previous
        assert runner.invoke(app, ["db", "check"]).exit_code == 1
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        assert migrations.current_revision(engine) == migrations.head_revision()
    finally:
        engine.dispose()

"""Migrations run unchanged on SQLite and on the real MariaDB."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect

from jurisgraph import migrations
from jurisgraph.models import Base

ORIGINAL_TABLES = {
    "users",
    "datasets",
    "resources",
    "documents",
    "graph_nodes",
    "graph_edges",
    "communities",
    "extraction_logs",
    "rag_queries",
}


def test_upgrade_creates_every_table_and_matches_models(empty_db_url: str) -> None:
    migrations.upgrade(empty_db_url)
    engine = create_engine(empty_db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert tables >= ORIGINAL_TABLES
        assert set(Base.metadata.tables) <= tables
        assert migrations.current_revision(engine) == migrations.head_revision()
        assert migrations.pending_differences(engine) == []
    finally:
        engine.dispose()


def test_downgrade_base_then_upgrade_head(empty_db_url: str) -> None:
    migrations.upgrade(empty_db_url)
    migrations.downgrade(empty_db_url, "base")
    engine = create_engine(empty_db_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrations.upgrade(empty_db_url)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        assert migrations.pending_differences(engine) == []
    finally:
        engine.dispose()

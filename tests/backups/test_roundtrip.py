"""Backup → verify → restore on SQLite and on MariaDB with the embedded vector store: the same
rows, the same stored files, the same points and the same answers."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from jurisgraph import migrations
from jurisgraph.backups import database as db_part
from jurisgraph.backups import service
from jurisgraph.backups.manifest import read_manifest
from jurisgraph.datasets import service as datasets
from jurisgraph.db import session_scope
from jurisgraph.errors import Conflict
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import ensure_public_workspace
from tests.backups.conftest import MariaDatabases, answers, counts, digests, points
from tests.fixtures.homes import make_settings
from tests.fixtures.sample import QueryEmbedder, Sample, sample_settings


def _container(home: Path, database_url: str = "", *, migrate: bool) -> Container:
    settings = sample_settings(home) if not database_url else make_settings(home, database_url)
    settings.app.log_level = "WARNING"
    settings.embedding.provider = "local"
    settings.llm.provider = "none"
    settings.pipeline.embed_on_start = False
    home.mkdir(parents=True, exist_ok=True)
    if migrate:
        migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    from jurisgraph.integrations.embeddings import build_embedder

    signature = build_embedder("local", model=settings.embedding.model, dim=settings.embedding.dim).signature
    container.provide(embedder=QueryEmbedder(signature))
    return container


def _storage_files(container: Container) -> dict[str, str]:
    from jurisgraph.backups.manifest import sha256_of

    root = container.settings.storage_path
    return {p.relative_to(root).as_posix(): sha256_of(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _check_round_trip(source: Container, target: Container, workspace: int, backups: Path) -> None:
    before = counts(source)
    before_digests = digests(source, source.settings.storage_path)
    before_points = points(source)
    before_files = _storage_files(source)
    assert sum(before.values()) > 100 and sum(before_points[0].values()) > 50 and before_files

    entry = service.create(source, backups)
    manifest = entry.manifest
    assert {t: n for t, n in manifest.database.tables.items()} == before
    assert manifest.vectors.collections == before_points[0]
    assert manifest.vectors.aliases == before_points[1]
    assert manifest.schema_revision == migrations.head_revision()
    assert manifest.embedding.dim == source.settings.embedding.dim
    assert service.verify(source, entry.path) == []

    service.restore(target, entry.path)
    assert migrations.current_revision(target.engine) == manifest.schema_revision
    assert counts(target) == before
    assert digests(target, target.settings.storage_path) == before_digests
    assert points(target) == before_points
    assert _storage_files(target) == before_files
    assert answers(target, workspace) == answers(source, workspace)

    # the target now holds data: a second restore is refused and changes nothing
    now = counts(target)
    with pytest.raises(Conflict, match="empty target"):
        service.restore(target, entry.path)
    assert counts(target) == now


def test_sqlite_round_trip_of_the_sample(sample: Sample, tmp_path: Path) -> None:
    target = _container(tmp_path / "restored", migrate=False)
    try:
        _check_round_trip(sample.container, target, sample.workspace, tmp_path / "backups")
    finally:
        target.close()


@pytest.mark.mariadb
def test_mariadb_round_trip_of_a_small_mirror(
    mariadb: MariaDatabases, small_mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source_url, target_url = mariadb.new(), mariadb.new()
    password = source_url.split("//", 1)[1].split("@", 1)[0].split(":", 1)[1]
    commands: list[list[str]] = []
    real_run = subprocess.run

    def recording_run(command: list[str], **kwargs: Any) -> Any:
        commands.append(list(command))
        return real_run(command, **kwargs)

    monkeypatch.setattr(db_part.subprocess, "run", recording_run)
    source = _container(tmp_path / "source", source_url, migrate=True)
    # the operator migrates the new database first: a schema without rows counts as empty
    target = _container(tmp_path / "target", target_url, migrate=True)
    try:
        datasets.ingest(source, str(small_mirror), ResourceFilter(), dense=False)
        with session_scope(source.sessions) as session:
            workspace = ensure_public_workspace(session)
        _check_round_trip(source, target, workspace, tmp_path / "backups")
    finally:
        source.close()
        target.close()
    tools = {Path(c[0]).name for c in commands}
    assert tools & set(db_part.DUMP_TOOLS) and tools & set(db_part.CLIENT_TOOLS)
    assert all(password not in " ".join(c) for c in commands)
    (entry,) = service.list_backups(tmp_path / "backups")
    assert read_manifest(entry.path).database.kind == "mysql"
    assert (entry.path / "database" / db_part.DUMP_FILE).read_text().startswith(("/*", "--"))

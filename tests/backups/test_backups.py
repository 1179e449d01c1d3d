"""Verify catches tampering, restore refuses what it must, a failed backup leaves nothing named
as complete, list and prune see only complete backups, and dumps are counted row by row."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jurisgraph.backups import database as db_part
from jurisgraph.backups import service
from jurisgraph.backups.manifest import MANIFEST, PREFIX
from jurisgraph.backups.storage import LocalStorage
from jurisgraph.db import session_scope
from jurisgraph.errors import Conflict, InvalidInput
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import ensure_public_workspace
from tests.fixtures.homes import container_at
from tests.fixtures.sample import sample_tema
from tests.fixtures.vectors import SPEC, read_temas, tema_points

T0 = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Container]:
    """A migrated SQLite home with a workspace row, 20 real temas as vectors and one stored file."""
    with container_at(tmp_path / "small") as container:
        with session_scope(container.sessions) as session:
            ensure_public_workspace(session)
        index = container.vector_index()
        index.ensure_collection(SPEC)
        index.upsert(SPEC, tema_points(read_temas(20)))
        index.set_alias("chunks", SPEC)
        stored = container.settings.storage_path / "precedentes-qualificados" / "tema.txt"
        stored.parent.mkdir(parents=True)
        stored.write_text(sample_tema(1076)["teseFirmada"], encoding="utf-8")
        yield container


def test_a_sound_backup_verifies_and_lists(small: Container, tmp_path: Path) -> None:
    entry = service.create(small, tmp_path / "b", now=T0)
    assert entry.path.name == PREFIX + "20261201T030000.000000Z"
    assert service.verify(small, entry.path) == []
    manifest = entry.manifest
    assert manifest.vectors.collections == {SPEC.name: 20}
    assert manifest.vectors.aliases == {"chunks": SPEC.name}
    assert manifest.database.tables["workspaces"] == 1
    assert manifest.storage.files == 1
    paths = {f.path for f in manifest.files}
    assert "database/jurisgraph.sqlite3" in paths and "storage/precedentes-qualificados/tema.txt" in paths
    assert [e.path for e in service.list_backups(tmp_path / "b")] == [entry.path]


def test_tampered_files_fail_verify(small: Container, tmp_path: Path) -> None:
    entry = service.create(small, tmp_path / "b", now=T0)
    stored = entry.path / "storage" / "precedentes-qualificados" / "tema.txt"
    stored.write_text(stored.read_text(encoding="utf-8").replace("a", "o", 1), encoding="utf-8")
    problems = service.verify(small, entry.path)
    assert problems == ["checksum mismatch storage/precedentes-qualificados/tema.txt"]

    shutil.copy2(entry.path / "database" / "jurisgraph.sqlite3", tmp_path / "db")
    (entry.path / "database" / "jurisgraph.sqlite3").write_bytes(b"")
    (entry.path / "extra.txt").write_text("x")
    problems = service.verify(small, entry.path)
    assert any(p.startswith("size mismatch database/jurisgraph.sqlite3") for p in problems)
    assert "file not in the manifest: extra.txt" in problems


def test_a_manifest_that_claims_other_counts_fails_the_scratch_restore(
    small: Container, tmp_path: Path
) -> None:
    entry = service.create(small, tmp_path / "b", now=T0)
    data = json.loads((entry.path / MANIFEST).read_text())
    data["database"]["tables"]["workspaces"] = 2
    data["vectors"]["collections"][SPEC.name] = 21
    (entry.path / MANIFEST).write_text(json.dumps(data))
    assert service.verify(small, entry.path) == [
        "table workspaces: 1 rows restored, manifest says 2",
        f"collection {SPEC.name}: 20 points restored, manifest says 21",
    ]


def test_an_incomplete_manifest_fails_verify(small: Container, tmp_path: Path) -> None:
    entry = service.create(small, tmp_path / "b", now=T0)
    data = json.loads((entry.path / MANIFEST).read_text())
    del data["schema_revision"]
    (entry.path / MANIFEST).write_text(json.dumps(data))
    (problem,) = service.verify(small, entry.path)
    assert "invalid manifest" in problem and "schema_revision" in problem
    (entry.path / MANIFEST).unlink()
    (problem,) = service.verify(small, entry.path)
    assert "no manifest.json" in problem


def test_restore_refuses_a_non_empty_target_and_changes_nothing(small: Container, tmp_path: Path) -> None:
    entry = service.create(small, tmp_path / "b", now=T0)
    with container_at(tmp_path / "target") as target:
        stray = target.settings.storage_path / "stray.txt"
        stray.parent.mkdir(parents=True)
        stray.write_text("not empty")
        with pytest.raises(Conflict, match="storage folder holds 1 files"):
            service.restore(target, entry.path)
        assert target.vector_index().list_collections() == []
        with session_scope(target.sessions) as session:
            assert ensure_public_workspace(session) == 1  # the database was still empty
        stray.unlink()
        with pytest.raises(Conflict, match=r"the database holds rows \(workspaces: 1\)"):
            service.restore(target, entry.path)
        assert target.vector_index().list_collections() == []


def test_restore_refuses_a_damaged_backup(small: Container, tmp_path: Path) -> None:
    entry = service.create(small, tmp_path / "b", now=T0)
    (entry.path / "storage" / "precedentes-qualificados" / "tema.txt").write_text("changed")
    with container_at(tmp_path / "target") as target:
        with pytest.raises(InvalidInput, match="damaged"):
            service.restore(target, entry.path)
        assert target.vector_index().list_collections() == []
        assert not target.settings.storage_path.exists()


def test_a_failed_backup_leaves_no_folder(
    small: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: LocalStorage, dest: Path) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(LocalStorage, "save", broken)
    with pytest.raises(OSError, match="disk full"):
        service.create(small, tmp_path / "b", now=T0)
    assert list((tmp_path / "b").iterdir()) == []
    assert service.list_backups(tmp_path / "b") == []


def test_prune_keeps_the_newest_complete_backups_only(small: Container, tmp_path: Path) -> None:
    root = tmp_path / "b"
    made = [service.create(small, root, now=T0 + timedelta(days=d)).path for d in range(4)]
    strangers = [root / f"{PREFIX}notes", root / f".{PREFIX}20261209T000000.000000Z.partial", root / "other"]
    for folder in strangers:
        folder.mkdir()
        (folder / "keep.txt").write_text("mine")
    (root / f"{PREFIX}file.txt").write_text("mine")
    broken = root / f"{PREFIX}20200101T000000.000000Z"
    broken.mkdir()
    (broken / MANIFEST).write_text("{}")

    assert [e.path for e in service.list_backups(root)] == made[::-1]
    assert service.prune(root, 2) == [made[1], made[0]]
    assert [e.path for e in service.list_backups(root)] == [made[3], made[2]]
    assert all((folder / "keep.txt").is_file() for folder in strangers)
    assert (root / f"{PREFIX}file.txt").is_file() and (broken / MANIFEST).is_file()
    assert service.prune(root, 2) == []
    with pytest.raises(InvalidInput):
        service.prune(root, 0)


def test_dump_rows_are_counted_per_table(tmp_path: Path) -> None:
    dump = tmp_path / "dump.sql"
    dump.write_text(
        "CREATE TABLE `empty` (\n  `id` int\n);\n"
        "CREATE TABLE `notes` (\n  `id` int,\n  `body` text\n);\n"
        # MySQL: many rows on one line; strings with parentheses, quotes and escaped quotes
        "INSERT INTO `notes` VALUES (1,'a (b) c'),(2,'it\\'s (not) a row'),(3,NULL);\n"
        # MariaDB 10.11+: one row per line
        "INSERT INTO `notes` VALUES\n(4,'(('),\n(5,'\\\\'),\n(6,0x28);\n"
        "INSERT INTO `other` VALUES (7,'x');\n"
        "-- Dump completed on 2026-12-07\n",
        encoding="utf-8",
    )
    assert db_part.dump_row_counts(dump) == {"empty": 0, "notes": 6, "other": 1}
    assert db_part.dump_complete(dump)
    dump.write_text("INSERT INTO `notes` VALUES (1,'a');\n", encoding="utf-8")
    assert not db_part.dump_complete(dump)


def test_the_defaults_file_holds_the_login_and_is_private(tmp_path: Path) -> None:
    from jurisgraph.db import server_address

    address = server_address("mysql+pymysql://u:p%22w%5Cd@db.example:3310/jg?charset=utf8mb4")
    with db_part.defaults_file(address) as path:
        assert path.stat().st_mode & 0o777 == 0o600
        text = path.read_text()
    assert not path.exists()
    assert 'password="p\\"w\\\\d"' in text and "host=" in text and "port=3310" in text

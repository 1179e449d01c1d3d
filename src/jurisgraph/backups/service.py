"""Backups of the whole service: create, verify, restore, list, prune.

A backup is written into a hidden ``.<name>.partial`` folder and renamed to ``jurisgraph-<UTC
timestamp>`` only once its manifest is on disk, so a crash never leaves a half backup under a
complete backup's name. Restoring goes only into an empty target (database without rows, vector
store without collections, storage without files) and never into a damaged backup's files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import structlog

from jurisgraph import __version__, migrations
from jurisgraph.backups import database as db_part
from jurisgraph.backups import repository
from jurisgraph.backups.manifest import (
    FORMAT_VERSION,
    MANIFEST,
    PREFIX,
    DatabaseInfo,
    EmbeddingInfo,
    Manifest,
    StorageInfo,
    VectorsInfo,
    check_files,
    file_entries,
    read_manifest,
)
from jurisgraph.backups.storage import LocalStorage, S3Storage, StorageBackup
from jurisgraph.backups.vectors import EdgeVectors, ServerVectors, VectorBackup, VectorContent
from jurisgraph.db import (
    build_engine,
    build_sessionmaker,
    database_kind,
    server_address,
    session_scope,
    sqlite_path,
    with_database,
)
from jurisgraph.errors import ConfigError, Conflict, InvalidInput, ProcessingError
from jurisgraph.integrations.qdrant.edge import EdgeVectorIndex
from jurisgraph.integrations.storage.s3 import S3ObjectStore
from jurisgraph.runtime import Container

log = structlog.get_logger(__name__)

DATABASE_DIR = "database"
VECTORS_DIR = "vectors"
STORAGE_DIR = "storage"


@dataclass(frozen=True)
class BackupEntry:
    """A backup folder and its manifest."""

    path: Path
    manifest: Manifest

    @property
    def size(self) -> int:
        """Bytes of its files (the manifest's record)."""
        return sum(f.size for f in self.manifest.files)


@dataclass
class RestoreReport:
    """What a restore put back."""

    revision: str | None
    rows: int
    points: int
    files: int
    rebased_paths: int = 0
    warnings: list[str] = field(default_factory=list)


# -- the stores of a container -------------------------------------------------------------


@contextmanager
def _vectors(container: Container) -> Iterator[VectorBackup]:
    cfg = container.settings.vectors
    if cfg.qdrant_url:
        server = ServerVectors(cfg.qdrant_url, cfg.qdrant_api_key.get_secret_value() or None)
        try:
            yield server
        finally:
            server.close()
        return
    index = container.vector_index()
    yield EdgeVectors(container.settings.vectors_path, index if isinstance(index, EdgeVectorIndex) else None)


def _storage(container: Container) -> StorageBackup:
    if container.settings.storage.backend == "s3":
        store = container.storage()
        if not isinstance(store, S3ObjectStore):
            raise ConfigError("the s3 storage backend is configured but the store is not an S3 bucket")
        return S3Storage(store)
    return LocalStorage(container.settings.storage_path)


def _embedding(container: Container) -> EmbeddingInfo:
    cfg = container.settings.embedding
    return EmbeddingInfo(provider=cfg.provider, model=cfg.model, dim=cfg.dim)


# -- create --------------------------------------------------------------------------------


def backup_name(now: datetime) -> str:
    """``jurisgraph-YYYYMMDDTHHMMSS.ffffffZ`` (sorts by time)."""
    return PREFIX + now.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def create(container: Container, root: Path, *, now: datetime | None = None) -> BackupEntry:
    """Back up the database, the vector store and the storage folder into a new folder under ``root``."""
    storage = _storage(container)
    moment = now or datetime.now(UTC)
    name = backup_name(moment)
    root.mkdir(parents=True, exist_ok=True)
    final = root / name
    if final.exists():
        raise Conflict(f"{final} already exists")
    partial = root / f".{name}.partial"
    partial.mkdir()
    try:
        database = _save_database(container, partial / DATABASE_DIR)
        revision = database.pop("revision")
        with _vectors(container) as vectors:
            content = vectors.save(partial / VECTORS_DIR)
            vectors_kind = vectors.kind
        files_stored = storage.save(partial / STORAGE_DIR)
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            created_at=moment.astimezone(UTC).isoformat(),
            jurisgraph_version=__version__,
            schema_revision=revision if isinstance(revision, str) else None,
            embedding=_embedding(container),
            database=DatabaseInfo.model_validate(database),
            vectors=VectorsInfo(
                kind=vectors_kind,
                folder=VECTORS_DIR,
                collections=content.collections,
                aliases=content.aliases,
            ),
            storage=StorageInfo(kind=storage.kind, folder=STORAGE_DIR, root=storage.root, files=files_stored),
            files=file_entries(partial),
        )
        manifest.write(partial)
        os.replace(partial, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    log.info(
        "backup_created",
        path=str(final),
        rows=sum(manifest.database.tables.values()),
        points=sum(manifest.vectors.collections.values()),
        files=len(manifest.files),
    )
    return BackupEntry(final, manifest)


def _save_database(container: Container, dest: Path) -> dict[str, object]:
    url = container.settings.database_url
    kind = database_kind(url)
    dest.mkdir()
    if kind == "sqlite":
        source = sqlite_path(url)
        if source is None:
            raise ConfigError("an in-memory SQLite database cannot be backed up")
        target = dest / db_part.SQLITE_FILE
        db_part.dump_sqlite(source, target)
        tables, revision = repository.sqlite_file_counts(str(target))
    else:
        revision = migrations.current_revision(container.engine)
        target = dest / db_part.DUMP_FILE
        db_part.dump_mysql(server_address(url), target)
        tables = db_part.dump_row_counts(target)
    return {
        "kind": kind,
        "file": target.relative_to(dest.parent).as_posix(),
        "tables": tables,
        "revision": revision,
    }


# -- verify --------------------------------------------------------------------------------


def verify(container: Container, folder: Path) -> list[str]:
    """Every problem of the backup in ``folder`` as one line each (empty = sound): the manifest,
    every file's size and checksum, and a restore into a scratch database and vector folder whose
    row and point counts and schema revision must equal the manifest's."""
    try:
        manifest = read_manifest(folder)
    except InvalidInput as exc:
        return [exc.message]
    problems = check_files(folder, manifest)
    listed = {f.path for f in manifest.files}
    if manifest.database.file not in listed:
        problems.append(f"manifest lists no database file {manifest.database.file}")
    if problems:
        return problems
    tables, revision = _scratch_database(container, folder / manifest.database.file, manifest.database.kind)
    problems += _compare("table", manifest.database.tables, tables, "rows")
    if revision != manifest.schema_revision:
        problems.append(f"schema revision {revision} restored, manifest says {manifest.schema_revision}")
    with _vectors(container) as vectors:
        if vectors.kind != manifest.vectors.kind:
            problems.append(
                f"the backup holds a {manifest.vectors.kind} vector store, "
                f"this configuration uses {vectors.kind}"
            )
            return problems
        content = vectors.scratch_content(folder / manifest.vectors.folder)
    problems += _compare("collection", manifest.vectors.collections, content.collections, "points")
    if content.aliases != manifest.vectors.aliases:
        problems.append(f"aliases {content.aliases} restored, manifest says {manifest.vectors.aliases}")
    stored = sum(1 for f in manifest.files if f.path.startswith(manifest.storage.folder + "/"))
    if stored != manifest.storage.files:
        problems.append(f"storage holds {stored} files, manifest says {manifest.storage.files}")
    return problems


def _compare(what: str, expected: dict[str, int], found: dict[str, int], unit: str) -> list[str]:
    return [
        f"{what} {name}: {found.get(name, 0)} {unit} restored, manifest says {expected.get(name, 0)}"
        for name in sorted(set(expected) | set(found))
        if expected.get(name, 0) != found.get(name, 0)
    ]


def _scratch_database(container: Container, dump: Path, kind: str) -> tuple[dict[str, int], str | None]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="jurisgraph-verify-db-") as scratch:
            target = Path(scratch) / "restored.sqlite3"
            db_part.restore_sqlite(dump, target)
            return repository.sqlite_file_counts(str(target))
    url = container.settings.database_url
    if database_kind(url) != "mysql":
        raise ConfigError(
            "checking a MySQL/MariaDB dump needs a MySQL/MariaDB server: set DATABASE_URL to one "
            "(a scratch database is created there and dropped)"
        )
    name = f"jgverify_{uuid.uuid4().hex[:12]}"
    server = build_engine(with_database(url, ""), pool_size=1)
    try:
        repository.create_database(server, name)
        try:
            scratch_url = with_database(url, name)
            db_part.restore_mysql(dump, server_address(scratch_url))
            engine = build_engine(scratch_url, pool_size=1)
            try:
                with session_scope(build_sessionmaker(engine)) as session:
                    tables = repository.table_counts(session)
                revision = migrations.current_revision(engine)
            finally:
                engine.dispose()
            return tables, revision
        finally:
            repository.drop_database(server, name)
    finally:
        server.dispose()


# -- restore -------------------------------------------------------------------------------


def restore(container: Container, folder: Path) -> RestoreReport:
    """Restore the backup in ``folder`` into the configured database, vector store and storage,
    all of which must be empty (Conflict otherwise, with nothing changed). The backup's files
    are checked first (a damaged backup is refused)."""
    manifest = read_manifest(folder)
    problems = check_files(folder, manifest)
    if problems:
        raise InvalidInput(f"{folder} is damaged, not restoring: " + "; ".join(problems[:5]))
    url = container.settings.database_url
    kind = database_kind(url)
    if kind != manifest.database.kind:
        raise ConfigError(
            f"the backup holds a {manifest.database.kind} database, the configured one is {kind}"
        )
    storage = _storage(container)
    with _vectors(container) as vectors:
        if vectors.kind != manifest.vectors.kind:
            raise ConfigError(
                f"the backup holds a {manifest.vectors.kind} vector store, "
                f"the configured one is {vectors.kind}"
            )
        _refuse_non_empty(container, vectors.content(), storage)
        container.engine.dispose()
        dump = folder / manifest.database.file
        if kind == "sqlite":
            target = sqlite_path(url)
            if target is None:
                raise ConfigError("cannot restore into an in-memory SQLite database")
            db_part.restore_sqlite(dump, target)
        else:
            db_part.restore_mysql(dump, server_address(url))
        container.engine.dispose()
        vectors.restore(folder / manifest.vectors.folder)
        files = storage.restore(folder / manifest.storage.folder)
    container.release_vector_index()
    rebased = 0
    if manifest.storage.root != storage.root:
        with session_scope(container.sessions) as session:
            rebased = repository.rebase_storage_paths(session, manifest.storage.root, storage.root)
    revision = migrations.current_revision(container.engine)
    if revision != manifest.schema_revision:
        raise ProcessingError(
            f"restored schema revision {revision}, the backup says {manifest.schema_revision}"
        )
    report = RestoreReport(
        revision=revision,
        rows=sum(manifest.database.tables.values()),
        points=sum(manifest.vectors.collections.values()),
        files=files,
        rebased_paths=rebased,
    )
    configured = _embedding(container)
    if configured != manifest.embedding:
        report.warnings.append(
            f"the vectors were made by {manifest.embedding.provider}/{manifest.embedding.model} "
            f"({manifest.embedding.dim}-d); the configured model is {configured.provider}/"
            f"{configured.model} ({configured.dim}-d): configure the backup's model to query them"
        )
    log.info("backup_restored", path=str(folder), rows=report.rows, points=report.points, files=files)
    return report


def _refuse_non_empty(container: Container, vectors: VectorContent, storage: StorageBackup) -> None:
    found = []
    url = container.settings.database_url
    target = sqlite_path(url) if database_kind(url) == "sqlite" else None
    if database_kind(url) != "sqlite" or (target is not None and target.exists()):
        with session_scope(container.sessions) as session:
            rows = repository.rows_besides_schema(session)
        if rows:
            found.append(
                f"the database holds rows ({', '.join(f'{t}: {n}' for t, n in sorted(rows.items())[:5])})"
            )
    if vectors.collections or vectors.aliases:
        found.append(
            f"the vector store holds collections ({', '.join(sorted(vectors.collections)) or 'aliases only'})"
        )
    stored = storage.count()
    if stored:
        found.append(f"the storage folder holds {stored} files")
    if found:
        raise Conflict("restore needs an empty target, nothing was changed: " + "; ".join(found))


# -- list and prune ------------------------------------------------------------------------


def list_backups(root: Path) -> list[BackupEntry]:
    """The complete backups under ``root`` (folders named ``jurisgraph-…`` with a valid manifest),
    newest first."""
    if not root.is_dir():
        return []
    found = []
    for path in root.iterdir():
        if not path.name.startswith(PREFIX) or path.is_symlink() or not path.is_dir():
            continue
        if not (path / MANIFEST).is_file():
            continue
        try:
            found.append(BackupEntry(path, read_manifest(path)))
        except InvalidInput:
            continue
    return sorted(found, key=lambda e: (e.manifest.created_at, e.path.name), reverse=True)


VERIFIED_SUFFIX = ".verified"
"""A backup folder ``<root>/jurisgraph-…`` that passed :func:`verify` gets a file
``<root>/jurisgraph-….verified`` beside it (outside the folder, whose files the manifest lists)."""


def record_verified(folder: Path, *, now: datetime | None = None) -> Path:
    """Note beside ``folder`` that it passed verification (the time, in ISO format)."""
    marker = folder.parent / (folder.name + VERIFIED_SUFFIX)
    marker.write_text((now or datetime.now(UTC)).isoformat() + "\n")
    return marker


def last_verified(root: Path) -> tuple[Path, datetime] | None:
    """The newest complete backup under ``root`` that passed verification, and when it was created."""
    for entry in list_backups(root):
        if (root / (entry.path.name + VERIFIED_SUFFIX)).is_file():
            created = datetime.fromisoformat(entry.manifest.created_at)
            return entry.path, created if created.tzinfo else created.replace(tzinfo=UTC)
    return None


def prune(root: Path, keep: int) -> list[Path]:
    """Delete the complete backups under ``root`` beyond the newest ``keep``; the deleted folders.
    Anything that is not a complete backup is never touched."""
    if keep < 1:
        raise InvalidInput("keep at least one backup")
    doomed = [entry.path for entry in list_backups(root)[keep:]]
    for path in doomed:
        shutil.rmtree(path)
        path.with_name(path.name + VERIFIED_SUFFIX).unlink(missing_ok=True)
        log.info("backup_pruned", path=str(path))
    return doomed

"""The database part of a backup: SQLite through its online backup API, MySQL/MariaDB through
``mariadb-dump``/``mysqldump`` and the ``mariadb``/``mysql`` client.

Credentials reach the client tools through a temporary defaults file readable by its owner only,
never on the command line (where ``ps`` would show them).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from jurisgraph.db import ServerAddress
from jurisgraph.errors import ConfigError, ProcessingError

SQLITE_FILE = "jurisgraph.sqlite3"
DUMP_FILE = "dump.sql"
DUMP_TOOLS = ("mariadb-dump", "mysqldump")
CLIENT_TOOLS = ("mariadb", "mysql")
DUMP_OPTIONS = (
    "--single-transaction",
    "--routines",
    "--triggers",
    "--hex-blob",
    "--no-tablespaces",
    "--default-character-set=utf8mb4",
)
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'", re.DOTALL)
_INSERT = re.compile(r"^INSERT INTO `((?:[^`]|``)+)` VALUES\s?")
_CREATE = re.compile(r"^CREATE TABLE `((?:[^`]|``)+)` \(")


# -- SQLite ----------------------------------------------------------------------------------


def dump_sqlite(source: Path, dest: Path) -> None:
    """Copy the live SQLite database ``source`` into the new file ``dest`` page by page (the
    online backup API: a consistent snapshot while others read and write); ``dest`` is left a
    single self-contained file (rollback journal, not WAL)."""
    if not source.is_file():
        raise ProcessingError(f"SQLite database {source} does not exist")
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(dest)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")


def restore_sqlite(backup: Path, target: Path) -> None:
    """Replace the database in ``target`` (created if missing) by the backup file's content."""
    target.parent.mkdir(parents=True, exist_ok=True)
    uri = f"{backup.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


# -- MySQL / MariaDB -------------------------------------------------------------------------


def find_tool(names: tuple[str, ...]) -> str:
    """The first of ``names`` found on PATH; ConfigError naming the package when none is."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise ConfigError(
        f"none of {', '.join(names)} found on PATH: install the MariaDB (or MySQL) client tools "
        "(Debian: apt-get install mariadb-client)"
    )


def _option_value(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


@contextmanager
def defaults_file(address: ServerAddress) -> Iterator[Path]:
    """A temporary ``[client]`` options file with the login of ``address`` (mode 0600), removed on exit."""
    lines = ["[client]", f"user={_option_value(address.user)}", f"password={_option_value(address.password)}"]
    if address.socket:
        lines.append(f"socket={_option_value(address.socket)}")
    else:
        lines += [f"host={_option_value(address.host)}", f"port={address.port}"]
    fd, name = tempfile.mkstemp(prefix="jurisgraph-client-", suffix=".cnf")
    path = Path(name)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        yield path
    finally:
        path.unlink(missing_ok=True)


def _run(command: list[str], *, stdin: Path | None = None, stdout: Path | None = None) -> None:
    tool = Path(command[0]).name
    with (
        stdin.open("rb") if stdin else open(os.devnull, "rb") as fin,
        stdout.open("wb") if stdout else open(os.devnull, "wb") as fout,
    ):
        result = subprocess.run(command, stdin=fin, stdout=fout, stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise ProcessingError(f"{tool} failed (exit {result.returncode}): {message}")


def dump_mysql(address: ServerAddress, dest: Path) -> None:
    """``mariadb-dump --single-transaction --routines --triggers`` of the database into ``dest``
    (no ``CREATE DATABASE``/``USE``: it restores into any database name)."""
    tool = find_tool(DUMP_TOOLS)
    with defaults_file(address) as options:
        _run([tool, f"--defaults-extra-file={options}", *DUMP_OPTIONS, address.database], stdout=dest)
    if not dump_complete(dest):
        raise ProcessingError(f"{Path(tool).name} wrote an incomplete dump (no completion line)")


def restore_mysql(dump: Path, address: ServerAddress) -> None:
    """Load a dump into the database of ``address`` with the ``mariadb``/``mysql`` client."""
    tool = find_tool(CLIENT_TOOLS)
    with defaults_file(address) as options:
        _run(
            [tool, f"--defaults-extra-file={options}", "--default-character-set=utf8mb4", address.database],
            stdin=dump,
        )


def dump_complete(dump: Path) -> bool:
    """True when the dump ends with the ``-- Dump completed`` line the dump tools write last."""
    with dump.open("rb") as fh:
        fh.seek(max(0, dump.stat().st_size - 4096))
        tail = fh.read().decode("utf-8", "replace")
    return "-- Dump completed" in tail


def dump_row_counts(dump: Path) -> dict[str, int]:
    """Rows per table in a dump, counted from its ``CREATE TABLE`` and ``INSERT`` statements (so the
    counts are those of the dump's own snapshot, not of a later moment).

    An ``INSERT … VALUES`` may hold many rows on one line (MySQL) or one row per line (MariaDB
    10.11+); strings never span lines (the dump escapes line breaks), so every line is read on its
    own: with its quoted strings blanked out, each opening parenthesis left starts a row.
    """
    counts: dict[str, int] = {}
    table: str | None = None
    with dump.open("r", encoding="utf-8", errors="surrogateescape", newline="\n") as fh:
        for line in fh:
            if table is None:
                created = _CREATE.match(line)
                if created:
                    counts.setdefault(created.group(1).replace("``", "`"), 0)
                    continue
                inserted = _INSERT.match(line)
                if not inserted:
                    continue
                table = inserted.group(1).replace("``", "`")
                line = line[inserted.end() :]
            values = _STRING.sub("''", line).rstrip()
            counts[table] = counts.get(table, 0) + values.count("(")
            if values.endswith(";"):
                table = None
    return counts

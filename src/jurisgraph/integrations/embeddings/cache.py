"""Embedding caches behind :class:`jurisgraph.engine.embedding.EmbeddingCache`.

``MemoryEmbeddingCache`` lives for one process; ``SqliteEmbeddingCache`` keeps vectors in a
single SQLite file (stdlib ``sqlite3``, WAL mode) keyed by (signature slug, content hash), so
a re-run or a second process never embeds the same text twice.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import numpy as np

from jurisgraph.engine.embedding import Vector

_QUERY_CHUNK = 500
"""Hashes per ``IN (...)`` lookup, well below SQLite's variable limit."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embedding_cache (
    signature TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (signature, content_hash)
) WITHOUT ROWID
"""


class MemoryEmbeddingCache:
    """Thread-safe in-process cache; vectors are copied in and out."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], Vector] = {}
        self._lock = threading.Lock()

    def get_many(self, signature_slug: str, hashes: Sequence[str]) -> dict[str, Vector]:
        with self._lock:
            hits = {h: self._data.get((signature_slug, h)) for h in hashes}
        return {h: v.copy() for h, v in hits.items() if v is not None}

    def put_many(self, signature_slug: str, vectors: Mapping[str, Vector]) -> None:
        rows = {(signature_slug, h): np.array(v, dtype=np.float32) for h, v in vectors.items()}
        with self._lock:
            self._data.update(rows)

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


class SqliteEmbeddingCache:
    """Vectors as little-endian float32 blobs in one SQLite file; safe across threads and processes."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        """Open lazily (caller holds the lock) so that constructing the cache touches no file."""
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False, isolation_level=None)
            _set_up(conn)
            self._conn = conn
        return self._conn

    def get_many(self, signature_slug: str, hashes: Sequence[str]) -> dict[str, Vector]:
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, Vector] = {}
        with self._lock:
            conn = self._connection()
            for start in range(0, len(wanted), _QUERY_CHUNK):
                chunk = wanted[start : start + _QUERY_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT content_hash, dim, vector FROM embedding_cache "
                    f"WHERE signature = ? AND content_hash IN ({marks})",
                    [signature_slug, *chunk],
                ).fetchall()
                for content_hash, dim, blob in rows:
                    if len(blob) == 4 * dim:
                        found[content_hash] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
        return found

    def put_many(self, signature_slug: str, vectors: Mapping[str, Vector]) -> None:
        rows = []
        for content_hash, vector in vectors.items():
            arr = np.ascontiguousarray(vector, dtype="<f4").reshape(-1)
            rows.append((signature_slug, content_hash, int(arr.shape[0]), arr.tobytes()))
        if not rows:
            return
        with self._lock:
            conn = self._connection()
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    "INSERT OR REPLACE INTO embedding_cache (signature, content_hash, dim, vector) "
                    "VALUES (?, ?, ?, ?)",
                    rows,
                )

    def count(self, signature_slug: str | None = None) -> int:
        """Number of stored vectors, for one signature or in all."""
        with self._lock:
            conn = self._connection()
            if signature_slug is None:
                row = conn.execute("SELECT COUNT(*) FROM embedding_cache").fetchone()
            else:
                row = conn.execute(
                    "SELECT COUNT(*) FROM embedding_cache WHERE signature = ?", [signature_slug]
                ).fetchone()
        return int(row[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> SqliteEmbeddingCache:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _set_up(conn: sqlite3.Connection, *, attempts: int = 100) -> None:
    """WAL mode and the table. Switching a fresh file to WAL while another connection opens it
    answers "database is locked" at once, without waiting for the busy timeout: that case is
    tried again, briefly, a bounded number of times."""
    for attempt in range(attempts):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.01)

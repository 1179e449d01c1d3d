"""Database engine and sessions. Built at startup from settings, never at import.

Services and repositories take the :class:`Session` re-exported here, so that only
repositories, this module, models and migrations import ``sqlalchemy``.

SQLite runs in WAL mode with a busy timeout and foreign keys on; MySQL/MariaDB use utf8mb4
and a pre-pinged pool. Commits happen only at the edge (a request or a job) through
:func:`session_scope`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import Engine as Engine
from sqlalchemy import Table, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session as Session
from sqlalchemy.orm import sessionmaker as sessionmaker

from jurisgraph.errors import ServiceUnavailable

T = TypeVar("T")

#: What opens sessions (one per unit of work, see :func:`session_scope`).
SessionFactory: TypeAlias = sessionmaker[Session]

#: Values of an ``IN (…)`` list sent per statement (SQLite and MySQL both cope; plans stay simple).
IN_BATCH = 400

#: Page cache per SQLite connection, in KiB (the default 2 MiB makes bulk inserts into the
#: mentions indexes go back and forth to the OS cache).
SQLITE_CACHE_KIB = 32 * 1024


def build_engine(url: str, *, echo: bool = False, pool_size: int = 5, busy_timeout_ms: int = 15000) -> Engine:
    """Create the SQLAlchemy engine for ``url`` with the per-dialect settings above."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"timeout": busy_timeout_ms / 1000})
        _configure_sqlite(engine, busy_timeout_ms)
        return engine
    kwargs: dict[str, Any] = {"pool_pre_ping": True, "pool_recycle": 3600, "pool_size": pool_size}
    if parsed.get_backend_name() == "mysql" and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return create_engine(parsed, echo=echo, **kwargs)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size={-SQLITE_CACHE_KIB}")
        cursor.close()


def build_sessionmaker(engine: Engine) -> SessionFactory:
    """Session factory; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def in_batches(values: Sequence[T], size: int = IN_BATCH) -> Iterator[list[T]]:
    """``values`` cut into lists of at most ``size``, in order (for ``IN`` lists)."""
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


@contextmanager
def session_scope(factory: SessionFactory) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def insert_rows(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    encoded: Collection[str] = (),
) -> None:
    """Insert ``rows`` (value tuples in ``columns`` order) into ``table`` with one executemany.

    Each value goes through its column type's bind processor, as a Core insert would store it,
    except the columns named in ``encoded``, whose values are already what the driver takes
    (JSON text for a JSON column). ``None`` is always stored as NULL (a JSON column would
    otherwise store ``null``). Column defaults are not applied.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
    )
    processors = [
        None if c in encoded else table.c[c].type.dialect_impl(dialect).bind_processor(dialect)
        for c in columns
    ]
    values: Sequence[Sequence[Any]] = rows
    if any(processors):
        converters = [_Converter(p) if p is not None else None for p in processors]
        values = [
            tuple(v if c is None else c(v) for v, c in zip(row, converters, strict=True)) for row in rows
        ]
    connection.exec_driver_sql(sql, list(values))


class _Converter:
    """A bind processor that keeps NULL as NULL and converts a value repeated by identity once
    (the shared timestamp of a bulk insert)."""

    __slots__ = ("last_in", "last_out", "processor")

    def __init__(self, processor: Any) -> None:
        self.processor = processor
        self.last_in: Any = None
        self.last_out: Any = None

    def __call__(self, value: Any) -> Any:
        if value is None:
            return None
        if value is not self.last_in:
            self.last_in, self.last_out = value, self.processor(value)
        return self.last_out


def mask_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (all of it when it cannot be parsed)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "***"


#: failures of the database itself (down, connection lost, disk full), not of the statement
DATABASE_FAILURES: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
_FULL = ("disk is full", "no space left", "is full", "errno 28")


def failure_message(exc: BaseException) -> str:
    """What to tell a person about a database failure (one of :data:`DATABASE_FAILURES`)."""
    detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
    if any(marker in detail.lower() for marker in _FULL):
        return f"the database's disk is full ({detail}): free space and run again"
    return f"database unavailable ({detail}): check that it runs and run again"


def ping(engine: Engine) -> None:
    """Raise :class:`ServiceUnavailable` when the database does not answer ``SELECT 1``."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise ServiceUnavailable(f"database unavailable: {type(exc).__name__}: {exc}") from exc


def database_kind(url: str) -> str:
    """``sqlite`` or ``mysql`` (MySQL 8 and MariaDB) for a database URL; others are refused."""
    backend = make_url(url).get_backend_name()
    if backend in ("sqlite", "mysql", "mariadb"):
        return "sqlite" if backend == "sqlite" else "mysql"
    raise ServiceUnavailable(f"unsupported database backend {backend!r}")


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for an in-memory database)."""
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


@dataclass(frozen=True)
class ServerAddress:
    """Where a MySQL/MariaDB database lives and who logs in (for the command-line client tools)."""

    host: str
    port: int
    user: str
    password: str
    database: str
    socket: str | None = None


def server_address(url: str) -> ServerAddress:
    """The parts of a MySQL/MariaDB URL the ``mariadb`` client tools take."""
    parsed = make_url(url)
    socket = parsed.query.get("unix_socket")
    return ServerAddress(
        host=parsed.host or "localhost",
        port=parsed.port or 3306,
        user=parsed.username or "",
        password=parsed.password or "",
        database=parsed.database or "",
        socket=socket if isinstance(socket, str) else None,
    )


def with_database(url: str, database: str) -> str:
    """``url`` naming another database on the same server (password kept: not for display)."""
    return make_url(url).set(database=database).render_as_string(hide_password=False)

"""Running :func:`~jurisgraph.pipeline.record_rows.prepare_jobs` in a helper process, or in the caller's.

:func:`open_messages` gives the messages of the jobs in order. With a helper, parsing, chunking
and extraction of the next batches run on another core while the caller writes the current one
to the database. The helper is a fresh interpreter running :mod:`jurisgraph.pipeline.helper`
(it imports only the pure preparation code, so it starts in well under a second, and it shares
no threads or locks with a server); it receives the jobs on its stdin and sends pickled
messages back on a pipe widened to :data:`PIPE_BYTES`, which is how far it may run ahead (a
reader thread in the caller, tried first, cost more in GIL hand-overs than it gained). The
helper is stopped when the caller is done or fails, and its death is reported as
:class:`ProcessingError` instead of a hang. When it cannot be started at all, the jobs are
prepared in the caller's process (with a warning).
"""

from __future__ import annotations

import fcntl
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection

import structlog

from jurisgraph.errors import ProcessingError
from jurisgraph.logging import current_setup
from jurisgraph.pipeline.record_rows import Message, PrepareJob, prepare_jobs

log = structlog.get_logger(__name__)

#: Bytes the pipe from the helper may hold (what the helper may be ahead of the caller).
PIPE_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class End:
    """The helper sent every message."""


@dataclass(frozen=True, slots=True)
class Crash:
    """The helper raised: its traceback."""

    trace: str


class Messages:
    """An iterator over the messages of the jobs; ``pid`` is the helper's process id (None when
    the messages are prepared in the caller's process)."""

    def __init__(self, source: Iterator[Message], pid: int | None = None) -> None:
        self._source = source
        self.pid = pid

    def __iter__(self) -> Iterator[Message]:
        return self

    def __next__(self) -> Message:
        return next(self._source)


def _widen(fd: int) -> None:
    """Let the pipe hold about a batch (Linux; elsewhere the default size stays)."""
    with suppress(OSError):
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)


@contextmanager
def open_messages(jobs: Sequence[PrepareJob], *, helper: bool) -> Iterator[Messages]:
    """The messages of ``jobs`` in order, prepared in a helper process when ``helper`` is true
    (which logs where and as this process does)."""
    if not helper or not jobs:
        yield Messages(prepare_jobs(jobs))
        return
    read_fd, write_fd = os.pipe()
    _widen(write_fd)
    try:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jurisgraph.pipeline.helper",
                str(write_fd),
                *current_setup().to_argv(),
            ],
            stdin=subprocess.PIPE,
            pass_fds=(write_fd,),
            close_fds=True,
        )
    except OSError as exc:
        process = None
        log.warning("prepare_helper_unavailable", error=str(exc), fallback="main process")
    finally:
        os.close(write_fd)
    if process is None:
        os.close(read_fd)
        yield Messages(prepare_jobs(jobs))
        return
    connection = Connection(read_fd, writable=False)
    try:
        assert process.stdin is not None
        try:
            pickle.dump(list(jobs), process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.close()
        except OSError:
            pass  # it died before reading its jobs: _receive reports how
        yield Messages(_receive(connection, process), process.pid)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        connection.close()


def _receive(connection: Connection, process: subprocess.Popen[bytes]) -> Iterator[Message]:
    while True:
        try:
            item = connection.recv()
        except (EOFError, OSError):
            code = process.wait()
            raise ProcessingError(
                f"the preparation process stopped unexpectedly (exit code {code})"
            ) from None
        if isinstance(item, End):
            return
        if isinstance(item, Crash):
            raise ProcessingError(f"the preparation process failed:\n{item.trace}")
        yield item

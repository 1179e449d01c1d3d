"""Running :func:`~jurisgraph.pipeline.prepare.prepare_jobs` in the caller's process or in a helper.

:func:`open_messages` gives the messages of the jobs in order. With a helper process, parsing,
chunking and extraction of the next batches run on another core while the caller writes the
current one to the database; a bounded queue keeps at most a few batches ahead. The helper is
started with ``spawn`` (safe from a threaded server), stopped when the caller is done or fails,
and its death is reported as :class:`ProcessingError` instead of a hang.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any

from jurisgraph.errors import ProcessingError
from jurisgraph.pipeline.prepare import Message, PrepareJob, prepare_jobs

#: Messages the helper may be ahead of the caller.
QUEUE_SIZE = 6
#: Seconds between checks that a silent helper is still alive.
POLL_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class _End:
    """The helper sent every message."""


@dataclass(frozen=True, slots=True)
class _Crash:
    """The helper raised: its traceback."""

    trace: str


def _helper_main(jobs: Sequence[PrepareJob], out: Any) -> None:
    """Entry point of the helper process: every message, then the end marker."""
    try:
        for message in prepare_jobs(jobs):
            out.put(message)
        out.put(_End())
    except BaseException:
        out.put(_Crash(traceback.format_exc(limit=20)))


@contextmanager
def open_messages(jobs: Sequence[PrepareJob], *, helper: bool) -> Iterator[Iterator[Message]]:
    """The messages of ``jobs`` in order, prepared in a helper process when ``helper`` is true."""
    if not helper or not jobs:
        yield prepare_jobs(jobs)
        return
    context = multiprocessing.get_context("spawn")
    out = context.Queue(maxsize=QUEUE_SIZE)
    process = context.Process(target=_helper_main, args=(list(jobs), out), name="jurisgraph-prepare")
    process.daemon = True
    process.start()
    try:
        yield _receive(out, process)
    finally:
        if process.is_alive():
            process.terminate()
        process.join(timeout=10)
        out.close()
        out.join_thread()


def _receive(out: Any, process: BaseProcess) -> Iterator[Message]:
    while True:
        try:
            item = out.get(timeout=POLL_SECONDS)
        except queue_module.Empty:
            if not process.is_alive():
                raise ProcessingError(
                    f"the preparation process stopped unexpectedly (exit code {process.exitcode})"
                ) from None
            continue
        if isinstance(item, _End):
            return
        if isinstance(item, _Crash):
            raise ProcessingError(f"the preparation process failed:\n{item.trace}")
        yield item

"""The preparation helper process: ``python -m jurisgraph.pipeline.helper FD LEVEL JSON``.

Reads a pickled list of :class:`~jurisgraph.pipeline.record_rows.PrepareJob` from stdin and sends
every message of :func:`~jurisgraph.pipeline.record_rows.prepare_jobs`, then an end marker (or the
traceback of what went wrong), pickled on the pipe whose write end is file descriptor ``FD``.
It logs like the caller (``LEVEL``, ``JSON`` 1 or 0) to stderr, never into that pipe.
"""

from __future__ import annotations

import pickle
import sys
import traceback
from multiprocessing.connection import Connection

from jurisgraph.logging import configure_logging
from jurisgraph.pipeline.helper_runner import Crash, End
from jurisgraph.pipeline.record_rows import prepare_jobs


def main(fd: int) -> int:
    """Prepare the jobs read from stdin and send the messages on ``fd``; the exit status."""
    connection = Connection(fd, readable=False)
    try:
        jobs = pickle.load(sys.stdin.buffer)
        for message in prepare_jobs(jobs):
            connection.send(message)
        connection.send(End())
    except (BrokenPipeError, KeyboardInterrupt):
        return 1  # the caller went away or stopped us: nobody to tell
    except BaseException:
        try:
            connection.send(Crash(traceback.format_exc(limit=20)))
        except OSError:
            return 1
        return 2
    finally:
        connection.close()
    return 0


if __name__ == "__main__":
    configure_logging(sys.argv[2], json=sys.argv[3] == "1")
    sys.exit(main(int(sys.argv[1])))

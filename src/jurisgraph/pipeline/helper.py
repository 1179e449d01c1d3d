"""The preparation helper process: ``python -m jurisgraph.pipeline.helper FD LOGGING...``.

Reads a pickled list of :class:`~jurisgraph.pipeline.record_rows.PrepareJob` from stdin and sends
every message of :func:`~jurisgraph.pipeline.record_rows.prepare_jobs`, then an end marker (or the
traceback of what went wrong), pickled on the pipe whose write end is file descriptor ``FD``.
It logs like the caller (the four words of :meth:`~jurisgraph.logging.LogSetup.to_argv`), never into
that pipe.
"""

from __future__ import annotations

import pickle
import sys
import traceback
from multiprocessing.connection import Connection

from jurisgraph.logging import LogSetup, configure_logging
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
    setup = LogSetup.from_argv(sys.argv[2:6])
    configure_logging(
        setup.level, json=setup.json, console_level=setup.console_level, log_file=setup.log_file
    )
    sys.exit(main(int(sys.argv[1])))

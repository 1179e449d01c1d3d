"""How long work reports progress: ``progress(stage, done, total, message)``.

Pipeline stages, vector operations and jobs take such a callable; the CLI draws it as
progress bars, the jobs runner keeps it for ``/api/v1/jobs``.
"""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(stage, done, total, message)``; ``total`` may be None when unknown.
Progress = Callable[[str, int, int | None, str], None]


def no_progress(stage: str, done: int, total: int | None, message: str) -> None:
    """A progress reporter that reports nothing."""

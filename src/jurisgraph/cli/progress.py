"""A rich progress display fed by the pipeline's ``progress(stage, done, total, message)`` calls."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from jurisgraph.cli.common import console
from jurisgraph.pipeline.context import Progress as ProgressFn


@contextmanager
def pipeline_progress() -> Iterator[ProgressFn]:
    """Yield a progress callback that draws one bar per stage."""
    bars = Progress(
        TextColumn("[bold]{task.fields[stage]:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[message]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    tasks: dict[str, TaskID] = {}

    def report(stage: str, done: int, total: int | None, message: str) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total, stage=stage, message=message)
        bars.update(tasks[stage], completed=done, total=total, message=message[:50])

    with bars:
        yield report

"""What every stage receives: the container, the workspace and a progress reporter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from jurisgraph.progress import Progress, no_progress
from jurisgraph.runtime import Container

__all__ = ["PipelineContext", "Progress", "never", "no_progress"]


def never() -> bool:
    """A stop signal that never fires."""
    return False


@dataclass
class PipelineContext:
    """Shared state of one pipeline run."""

    container: Container
    workspace_id: int
    progress: Progress = field(default=no_progress)
    job_id: str | None = None
    #: polled between batches by long stages; True asks them to stop cleanly (work done is kept)
    should_stop: Callable[[], bool] = field(default=never)
    #: a private workspace of uploads: no catalogue resources whose statuses stages move, and no
    #: shared embedding cache (a deleted upload must leave nothing behind, not even its vectors)
    private: bool = False

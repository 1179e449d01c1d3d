"""Jobs by kind: a job runs in any process from its row alone.

A handler is registered under its kind at import (the module that defines it is imported by
every process that runs jobs: the API and ``jurisgraph worker``). It receives the process's
context (the container), the job id, the payload and a progress reporter, and returns the
job's result, or :class:`Waiting` when the job continues after children it queued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jurisgraph.errors import InvalidInput
from jurisgraph.progress import Progress


@dataclass(frozen=True)
class Waiting:
    """A handler's answer when the job waits for its children (``children``: their ids, to
    queue): the job is ``waiting`` in ``stage`` until the last child ends, then it is queued
    again and its handler receives that stage as ``payload["_stage"]``."""

    children: tuple[str, ...]
    stage: str


Handler = Callable[[Any, str, dict[str, Any], Progress], "dict[str, Any] | Waiting"]
_HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``kind``."""

    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register


def lookup(kind: str) -> Handler:
    """The handler of ``kind``; :class:`InvalidInput` when no module registered one."""
    found = _HANDLERS.get(kind)
    if found is None:
        raise InvalidInput(f"no handler for job kind {kind!r}")
    return found


def kinds() -> list[str]:
    """Registered kinds."""
    return sorted(_HANDLERS)

"""Who a chat call is made for: the job, user and workspace recorded in the ledger and budgets.

Pass a :class:`CallContext` explicitly (``context=``) or set one for a block of code with
:func:`call_context`; an explicit context wins.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CallContext:
    """The owner of a call; every field is optional."""

    job_id: str | None = None
    user_id: int | None = None
    workspace_id: int | None = None


_CURRENT: ContextVar[CallContext | None] = ContextVar("jurisgraph_llm_call_context", default=None)


@contextmanager
def call_context(context: CallContext) -> Iterator[CallContext]:
    """Make ``context`` the default of every call made inside the block (this thread or task)."""
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)


def current_context() -> CallContext:
    """The context set by the innermost :func:`call_context`, else an empty one."""
    return _CURRENT.get() or CallContext()


def resolve_context(context: CallContext | None) -> CallContext:
    """``context`` when given, else :func:`current_context`."""
    return context if context is not None else current_context()

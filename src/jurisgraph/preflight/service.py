"""Run the preflight checks against a container."""

from __future__ import annotations

from collections.abc import Sequence

from jurisgraph.preflight.checks import ALL, Check, CheckFn, Options, timed
from jurisgraph.runtime import Container


def run(container: Container, options: Options, checks: Sequence[CheckFn] = ALL) -> list[Check]:
    """Every check in order (the database first: the admin check reads it)."""
    return [timed(fn, container, options) for fn in checks]


def passed(results: Sequence[Check]) -> bool:
    """True when no check failed (warnings and skips pass)."""
    return all(result.status != "fail" for result in results)

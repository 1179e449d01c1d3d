"""The name and report indexes are kept per workspace: users reading the public workspace beside
their own private one share its index, built once, however many users ask."""

from __future__ import annotations

from typing import Any

import pytest

from jurisgraph.ask import gathering
from jurisgraph.ask import repository as repo
from jurisgraph.db import session_scope
from jurisgraph.engine.query import link
from jurisgraph.runtime import NameIndexCache, ReportIndexCache
from tests.fixtures.sample import Sample

#: private workspaces of twelve users (no rows: nothing uploaded yet): more than the 8 sets of
#: workspaces a cache per set kept, so that cache rebuilt the public index for each user
PRIVATE = range(90_001, 90_013)


def counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[int, ...]]:
    """The workspaces each call of ``repo.<name>`` read."""
    calls: list[tuple[int, ...]] = []
    real = getattr(repo, name)

    def counted(session: Any, workspaces: Any, *rest: Any) -> Any:
        calls.append(tuple(workspaces))
        return real(session, workspaces, *rest)

    monkeypatch.setattr(repo, name, counted)
    return calls


def test_public_indexes_are_built_once_for_every_user(
    sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    names_built = counting(monkeypatch, "linkable_names")
    reports_built = counting(monkeypatch, "report_candidates")
    names, reports = NameIndexCache(), ReportIndexCache()
    public = sample.workspace
    question = "Qual a posição da Corte Especial sobre honorários por equidade?"
    with session_scope(sample.container.sessions) as session:
        alone = gathering._name_index(session, names, [public])
        expected = sorted(e.key for e in link(question, alone))
        for _ in range(2):
            for private in PRIVATE:
                index = gathering._name_index(session, names, [public, private])
                assert sorted(e.key for e in link(question, index)) == expected
                assert len(gathering._report_index(session, reports, [public, private])) > 0
    assert names_built.count((public,)) == 1
    assert reports_built.count((public,)) == 1
    assert sorted(names_built) == sorted([(public,), *((p,) for p in PRIVATE)])
    assert expected  # the question names something, so the comparison above means something

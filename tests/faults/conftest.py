"""Fixtures of the fault tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.openai_server import FakeOpenAIServer
from tests.faults.commands import DIM


@pytest.fixture
def embeddings() -> Iterator[FakeOpenAIServer]:
    """An OpenAI-protocol embedding server on 127.0.0.1 (DIM-wide pseudo vectors)."""
    with FakeOpenAIServer(dim=DIM) as server:
        yield server

"""Each chat provider against its local protocol server (real SDKs over HTTP on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integrations.llm.harness import Served, served


@pytest.fixture(params=["gemini", "openai"])
def provider(request: pytest.FixtureRequest) -> Iterator[Served]:
    yield from served(request.param)


@pytest.fixture
def openai() -> Iterator[Served]:
    yield from served("openai")


@pytest.fixture
def gemini() -> Iterator[Served]:
    yield from served("gemini")

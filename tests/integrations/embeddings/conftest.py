"""Local protocol servers for the embedding providers (real HTTP on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.gemini_server import FakeGeminiServer
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fixtures.embeddings import Provider, gemini_provider, openai_provider


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(dim=64) as server:
        yield server


@pytest.fixture
def gemini_server() -> Iterator[FakeGeminiServer]:
    with FakeGeminiServer() as server:
        yield server


@pytest.fixture(params=["gemini", "openai"])
def provider(request: pytest.FixtureRequest) -> Iterator[Provider]:
    """Each remote provider in turn, with its fake server running."""
    factory = gemini_provider if request.param == "gemini" else openai_provider
    yield from factory()

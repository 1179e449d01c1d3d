"""One face for both remote providers so the shared behaviour is tested once for each."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from jurisgraph.integrations.embeddings._remote import RemoteEmbedder
from jurisgraph.integrations.embeddings.gemini import GeminiEmbedder
from jurisgraph.integrations.embeddings.openai_compat import OpenAIEmbedder
from tests.fakes import gemini_server, openai_server
from tests.fakes.gemini_server import FakeGeminiServer
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.protocol_server import ProtocolServer, pseudo_vector

STJ_DATA = Path(os.environ.get("JURISGRAPH_STJ_DATA", "/work/shared/data/stj"))
FAST_RETRY = {"retry_initial_wait": 0.001, "retry_max_wait": 2.0}


@cache
def teses() -> tuple[str, ...]:
    """Real 'Jurisprudência em Teses' statements, in file order."""
    raw = json.loads((STJ_DATA / "derivados" / "jurisprudencia_em_teses_stj.json").read_text("utf-8"))
    return tuple(t["enunciado"] for t in raw["teses"].values())


@dataclass
class Provider:
    """A running fake server plus how to build an embedder against it and read its log."""

    name: str
    server: ProtocolServer
    route: str
    dim: int
    build: Callable[..., RemoteEmbedder]
    texts_of: Callable[[Any], list[str]]

    def calls(self) -> list[list[str]]:
        """Texts of each embedding request received, in arrival order."""
        return [self.texts_of(r) for r in self.server.requests(self.route)]

    def expected(self, texts: list[str]) -> np.ndarray:
        rows = np.array([pseudo_vector(t, self.dim) for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    # fault scripting has the same names on both fakes
    def __getattr__(self, name: str) -> Any:
        return getattr(self.server, name)


def gemini_provider() -> Iterator[Provider]:
    with FakeGeminiServer() as server:

        def build(**kw: Any) -> RemoteEmbedder:
            settings = {"api_key": server.api_key, "base_url": server.url, "timeout": 5.0, **FAST_RETRY, **kw}
            return GeminiEmbedder(**settings)

        yield Provider("gemini", server, gemini_server.BATCH, 768, build, FakeGeminiServer.texts)


def openai_provider() -> Iterator[Provider]:
    with FakeOpenAIServer(dim=64) as server:

        def build(**kw: Any) -> RemoteEmbedder:
            settings = {
                "api_key": server.api_key,
                "base_url": server.base_url,
                "model": "nomic-embed-text",
                "dim": 64,
                "timeout": 5.0,
                **FAST_RETRY,
                **kw,
            }
            return OpenAIEmbedder(**settings)

        yield Provider("openai", server, openai_server.EMBEDDINGS, 64, build, FakeOpenAIServer.inputs)

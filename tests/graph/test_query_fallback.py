"""The LLM fallback of the question parser, through the real gateway and OpenAI client against the
local OpenAI-protocol server: a valid typed query runs; invalid JSON, a field outside the
schema, an anchor outside the graph and a timeout each fall back with the reason recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr

from jurisgraph.ask import graph_mode
from jurisgraph.ask.chat import configured_chat
from jurisgraph.db import session_scope
from jurisgraph.engine.llm import ChatModel
from jurisgraph.engine.query.generate import CallLog
from jurisgraph.engine.query.graphq import GraphQuery
from jurisgraph.graph import query_service
from jurisgraph.runtime import Container
from tests.fakes.openai_server import CHAT, FakeOpenAIServer
from tests.fakes.protocol_server import ChatTurn
from tests.graph.conftest import Corpus

#: a count question of a known shape (quantas … súmulas … temas) in words the rules do not map
QUESTION = "quantas súmulas vieram de temas da Terceira Seção"
QUERY: dict[str, Any] = {
    "relation": "origina",
    "filters": {"orgao": "S3", "tipo": "Tema"},
    "aggregate": "count",
}


@dataclass
class Llm:
    container: Container
    server: FakeOpenAIServer
    chat: ChatModel


@pytest.fixture
def llm(corpus: Corpus) -> Iterator[Llm]:
    with FakeOpenAIServer() as server:
        settings = corpus.settings.model_copy(deep=True)
        settings.llm.provider = "openai"
        settings.llm.openai_base_url = server.base_url
        settings.llm.openai_api_key = SecretStr(server.api_key)
        settings.llm.timeout_s = 0.5
        settings.llm.max_retries = 0
        settings.llm.cache = False
        container = Container.build(settings)
        chat = configured_chat(container.configured_gateway())
        assert chat is not None
        try:
            yield Llm(container, server, chat)
        finally:
            closer = getattr(container.chat_model(), "close", None)
            if callable(closer):
                closer()
            container.engine.dispose()


def _attempt(corpus: Corpus, llm: Llm, question: str = QUESTION) -> tuple[Any, dict[str, Any], CallLog]:
    calls = CallLog()
    with session_scope(llm.container.sessions) as session:
        answer, step = graph_mode.attempt(session, corpus.workspaces, question, llm.chat, calls)
    return answer, step, calls


def _reply(query: dict[str, Any] | None, **extra: Any) -> ChatTurn:
    return ChatTurn(json.dumps({"query": query, "reason": "contagem de súmulas", **extra}), 300, 40)


def test_the_rules_do_not_map_the_question(corpus: Corpus) -> None:
    with session_scope(corpus.container.sessions) as session:
        parsed = query_service.parse(session, corpus.workspaces, QUESTION)
    assert parsed.query is None and parsed.shaped


def test_a_valid_typed_query_from_the_llm_runs(corpus: Corpus, llm: Llm) -> None:
    llm.server.answer_chat(_reply(QUERY))
    answer, step, calls = _attempt(corpus, llm)
    with session_scope(corpus.container.sessions) as session:
        direct = query_service.run(session, corpus.workspaces, GraphQuery.model_validate(QUERY))
    assert answer is not None and answer.parsed_by == "llm"
    assert answer.value == direct.value and direct.value > 0
    assert step["mapped"] and step["llm_fallback"]["valid"] and step["parsed_by"] == "llm"
    assert step["query"]["relation"] == "origina" and step["query"]["filters"]["orgao"] == "S3"
    assert graph_mode.note(answer) == graph_mode.NOTE_GRAPH_LLM
    (request,) = llm.server.requests(CHAT)
    body = request.body
    assert isinstance(body, dict) and "response_format" in body
    assert QUESTION in llm.server.chat_messages(request)[-1]["content"]
    assert calls.count == 1 and calls.tokens_in == 300


def test_a_repaired_reply_is_used(corpus: Corpus, llm: Llm) -> None:
    llm.server.answer_chat(ChatTurn("a consulta é origina/S3"), _reply(QUERY))
    answer, step, calls = _attempt(corpus, llm)
    assert answer is not None and step["llm_fallback"]["valid"]
    assert len(llm.server.requests(CHAT)) == 2 and calls.count == 2


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        (ChatTurn("não sei"), ChatTurn("{'query': nada"), "fora do esquema"),
        (
            _reply({**QUERY, "sql": "select * from graph_nodes"}),
            _reply(QUERY, sql="select 1"),
            "fora do esquema",
        ),
        (_reply({**QUERY, "relation": "delete"}), _reply({**QUERY, "aggregate": "sum"}), "fora do esquema"),
        (_reply(None), _reply(None), "não é uma consulta"),
        (
            _reply({"relation": "cita", "anchors": ["sumula:stj_99999"], "aggregate": "count"}),
            _reply(None),
            "fora do grafo",
        ),
    ],
    ids=["invalid-json", "field-outside-schema", "value-outside-schema", "declined", "unknown-anchor"],
)
def test_an_invalid_reply_falls_back(
    corpus: Corpus, llm: Llm, first: ChatTurn, second: ChatTurn, why: str
) -> None:
    llm.server.answer_chat(first, second)
    answer, step, _ = _attempt(corpus, llm)
    assert answer is None and not step["mapped"]
    assert step["llm_fallback"]["used"] and not step["llm_fallback"]["valid"]
    assert why in step["llm_fallback"]["reason"]
    assert step["reason"].startswith("pergunta de lista ou contagem")


def test_a_timeout_falls_back(corpus: Corpus, llm: Llm) -> None:
    llm.server.slow(3, 3.0, route=CHAT)
    answer, step, calls = _attempt(corpus, llm)
    assert answer is None and not step["mapped"]
    assert "indisponível" in step["llm_fallback"]["reason"] and calls.count == 0
    assert len(llm.server.requests(CHAT)) == 1


def test_no_llm_no_fallback(corpus: Corpus, llm: Llm) -> None:
    with session_scope(llm.container.sessions) as session:
        answer, step = graph_mode.attempt(session, corpus.workspaces, QUESTION, None)
    assert answer is None and "llm_fallback" not in step
    assert llm.server.requests(CHAT) == []


def test_mapped_and_unshaped_questions_never_ask_the_llm(corpus: Corpus, llm: Llm) -> None:
    mapped, step, _ = _attempt(corpus, llm, "quantos temas a Terceira Seção julgou em 2015")
    assert mapped is not None and step["parsed_by"] == "regras"
    unshaped, step, _ = _attempt(corpus, llm, "o que decidiu o STJ sobre juros de mora")
    assert unshaped is None and "llm_fallback" not in step
    assert llm.server.requests(CHAT) == []

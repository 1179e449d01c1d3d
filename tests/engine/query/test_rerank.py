"""The optional LLM reranking step: it reorders, costs one call, and never loses a passage."""

from __future__ import annotations

import json
from collections.abc import Iterator

from jurisgraph.engine.llm import ChatRequest, ChatResponse, Purpose
from jurisgraph.engine.query.generate import CallLog
from jurisgraph.engine.query.rerank import LlmReranker, merge_order

TEXTS = [
    "Súmula 7/STJ: a pretensão de simples reexame de prova não enseja recurso especial.",
    "Tema 1.076/STJ: honorários por equidade só quando o proveito econômico for inestimável.",
    "Tema 952/STJ: reajuste de plano de saúde por faixa etária.",
]


class ScriptedChat:
    """Replies with a fixed text and records the requests."""

    provider = "fake"

    def __init__(self, reply: str) -> None:
        self.reply, self.requests = reply, list[ChatRequest]()

    def model_for(self, purpose: Purpose) -> str:
        return "fake-model"

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        return ChatResponse(text=self.reply, model="fake-model", provider="fake", tokens_in=50, tokens_out=5)

    def stream(self, request: ChatRequest) -> Iterator[str]:
        yield self.complete(request).text


def test_reorders_with_one_call() -> None:
    chat = ScriptedChat(json.dumps({"ordem": [2, 3, 1]}))
    calls = CallLog()
    order = LlmReranker(chat).order("honorários por equidade", TEXTS, calls)
    assert order == [1, 2, 0]
    assert calls.count == 1 and len(chat.requests) == 1
    assert "[2] Tema 1.076/STJ" in chat.requests[0].messages[-1].content


def test_bad_replies_keep_the_retrieval_order() -> None:
    for reply in ("não é JSON", json.dumps({"ordem": "x"}), json.dumps({"outra": [1]})):
        assert LlmReranker(ScriptedChat(reply)).order("q", TEXTS, CallLog()) == [0, 1, 2]


def test_partial_or_repeated_numbers_never_lose_a_passage() -> None:
    assert merge_order([3, 3, 9, 0], head=3, total=5) == [2, 0, 1, 3, 4]
    assert sorted(merge_order([2], head=2, total=2)) == [0, 1]

"""With an LLM configured (a local OpenAI-protocol server), ``/v1/chat/completions`` answers through
the LLM gateway: a generated answer and its token usage, streamed deltas, and the caller's LLM
budget: once it is spent, the answer is the extractive one, labelled."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from openai import OpenAI
from pydantic import SecretStr

from jurisgraph.app import create_app
from jurisgraph.ask.service import NOTE_BUDGET
from jurisgraph.runtime import Container
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.protocol_server import ChatTurn
from tests.fixtures.live import api_key
from tests.fixtures.processes import serving
from tests.fixtures.sample import Sample
from tests.mcp_server.checks import facts

MODEL = "answer-test-model"
PRICE = (1.0, 2.0)  # USD per 1M tokens in, out
TURN_TOKENS = (900, 20)
CALL_COST = (TURN_TOKENS[0] * PRICE[0] + TURN_TOKENS[1] * PRICE[1]) / 1_000_000


@dataclass
class WithLlm:
    llm: OpenAI
    server: FakeOpenAIServer
    container: Container


@pytest.fixture
def with_llm(sample: Sample) -> Iterator[WithLlm]:
    """The sample served with an LLM priced so that a user's daily budget allows two answers."""
    with FakeOpenAIServer() as server:
        settings = sample.settings.model_copy(deep=True)
        settings.llm.provider = "openai"
        settings.llm.model = MODEL
        settings.llm.prices = {MODEL: PRICE}
        settings.llm.budget_user_daily_usd = 1.5 * CALL_COST
        settings.llm.openai_base_url = server.base_url
        settings.llm.openai_api_key = SecretStr(server.api_key)
        container = Container.build(settings)
        container.provide(vector_index=sample.container.vector_index(), embedder=sample.container.embedder())
        app = create_app(settings)
        try:
            with serving(app) as url:
                own = app.state.container
                app.state.container = container
                try:
                    _, _, key = api_key(container, "llm-budget@tests.example")
                    llm = OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=120)
                    yield WithLlm(llm, server, container)
                finally:
                    app.state.container = own
        finally:
            container.engine.dispose()


def test_generated_answers_streamed_or_not_within_the_callers_budget(
    with_llm: WithLlm, sample: Sample
) -> None:
    f = facts(sample)
    # three different questions: the gateway caches a repeated prompt's reply
    question, again, third_question = (
        [{"role": "user", "content": text}]
        for text in (
            f"Qual a tese do Tema {f.tema}?",
            f"Tese firmada no Tema {f.tema}?",
            f"Tema {f.tema}: tese?",
        )
    )
    reply = f"A tese do Tema {f.tema} está na fonte [1]."
    with_llm.server.answer_chat(ChatTurn(reply, *TURN_TOKENS))
    whole = with_llm.llm.chat.completions.create(model="jurisgraph-local", messages=question)  # type: ignore[arg-type]
    content = whole.choices[0].message.content or ""
    assert content.startswith(reply + "\n\nReferências:\n[1] ")
    assert (
        whole.usage is not None and (whole.usage.prompt_tokens, whole.usage.completion_tokens) == TURN_TOKENS
    )
    assert (whole.model_extra or {})["jurisgraph"]["answer_kind"] == "generative"

    streamed_reply = f"Segundo o registro, o Tema {f.tema} tem tese firmada [1]."
    with_llm.server.answer_chat(ChatTurn(streamed_reply, *TURN_TOKENS))
    chunks = list(
        with_llm.llm.chat.completions.create(
            model="jurisgraph-local",
            messages=again,  # type: ignore[arg-type]
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.startswith(streamed_reply + "\n\nReferências:\n[1] ")
    finished = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(finished) == 1 and (finished[0].model_extra or {})["jurisgraph"]["answer_kind"] == "generative"
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens == sum(TURN_TOKENS)

    # two answers spent the budget: the third is extractive, labelled, without asking the LLM
    asked = len(with_llm.server.requests())
    third = with_llm.llm.chat.completions.create(
        model="jurisgraph-local",
        messages=third_question,  # type: ignore[arg-type]
    )
    jurisgraph = (third.model_extra or {})["jurisgraph"]
    assert jurisgraph["answer_kind"] == "extractive" and jurisgraph["note"] == NOTE_BUDGET
    assert len(with_llm.server.requests()) == asked
    assert f"tema:{f.tema}" in {c["document_key"] for c in (third.model_extra or {})["citations"]}


@pytest.mark.parametrize("route", ["/api/v1/ask", "/v1/chat/completions"])
def test_a_fresh_keys_first_question_with_an_llm(with_llm: WithLlm, route: str) -> None:
    """The key's first use is written when the caller is resolved; it must not hold the database
    while the LLM gateway books its call (SQLite: one writer at a time)."""
    base = str(with_llm.llm.base_url).removesuffix("/v1/")
    _, _, key = api_key(with_llm.container, f"fresh-{route.count('/')}@tests.example")
    with_llm.server.answer_chat(ChatTurn("A tese está na fonte [1].", *TURN_TOKENS))
    body = (
        {"question": "Qual a tese do Tema 1.076?", "mode": "local"}
        if route == "/api/v1/ask"
        else {
            "model": "jurisgraph-local",
            "messages": [{"role": "user", "content": "Qual a tese do Tema 1.076?"}],
        }
    )
    reply = httpx.post(base + route, json=body, headers={"Authorization": f"Bearer {key}"}, timeout=120)
    assert reply.status_code == 200, reply.text
    assert "A tese está na fonte [1]." in reply.text

"""Gemini and OpenAI-compatible chat through their real SDKs against local protocol servers."""

from __future__ import annotations

import dataclasses

import pytest

from jurisgraph.engine.llm import ChatMessage, ChatRequest, Purpose
from jurisgraph.errors import ConfigError, RetryableUpstreamError, UpstreamError
from jurisgraph.integrations.llm import ChatStream, build_chat_model
from jurisgraph.integrations.llm.none import LlmNotConfigured
from tests.fakes.gemini_server import FakeGeminiServer
from tests.fakes.protocol_server import ChatTurn
from tests.fixtures.llm import Served, ementa_request, espelhos

SCHEMA = {
    "type": "object",
    "properties": {"classe": {"type": "string"}, "relator": {"type": "string"}},
    "required": ["classe", "relator"],
}


def test_complete_sends_the_conversation_and_returns_the_usage(provider: Served) -> None:
    record = espelhos()[0]
    summary = record["ementa"].split("\n")[0]
    provider.answer(ChatTurn(summary, tokens_in=len(record["ementa"]) // 4, tokens_out=len(summary) // 4))
    model = provider.chat_model()

    reply = model.complete(ementa_request(record))

    assert reply.text == summary
    assert (reply.tokens_in, reply.tokens_out) == (len(record["ementa"]) // 4, len(summary) // 4)
    assert reply.provider == provider.name == model.provider
    assert reply.model == f"{provider.name}-test-model"
    (sent,) = provider.requests()
    roles = [role for role, _ in provider.messages(sent)]
    assert roles == ["system", "user"]
    assert record["ementa"] in provider.messages(sent)[1][1]


def test_each_purpose_uses_its_model(provider: Served) -> None:
    record = espelhos()[1]
    provider.answer(ChatTurn("a"), ChatTurn("b"))
    model = provider.chat_model(model="default-model", models={"extraction": "small-model"})
    assert model.model_for(Purpose.EXTRACTION) == "small-model"
    assert model.model_for(Purpose.ANSWER) == "default-model"

    model.complete(ementa_request(record, purpose=Purpose.EXTRACTION))
    model.complete(ementa_request(record, purpose=Purpose.ANSWER))

    first, second = provider.requests()
    if provider.name == "openai":
        assert [first.body["model"], second.body["model"]] == ["small-model", "default-model"]
    else:
        assert [first.params["model"], second.params["model"]] == ["small-model", "default-model"]


def test_json_mode_sends_the_schema(provider: Served) -> None:
    record = espelhos()[2]
    provider.answer(
        ChatTurn(f'{{"classe": "{record["siglaClasse"]}", "relator": "{record["ministroRelator"]}"}}')
    )
    request = dataclasses.replace(ementa_request(record, purpose=Purpose.EXTRACTION), json_schema=SCHEMA)

    reply = provider.chat_model().complete(request)

    assert record["ministroRelator"] in reply.text
    body = provider.requests()[0].body
    if provider.name == "openai":
        assert body["response_format"]["type"] == "json_schema"
        assert body["response_format"]["json_schema"]["schema"] == SCHEMA
    else:
        config = body["generationConfig"]
        assert config["responseMimeType"] == "application/json"
        assert config["responseJsonSchema"] == SCHEMA


def test_openai_json_object_mode_puts_the_schema_in_the_prompt(openai: Served) -> None:
    openai.answer(ChatTurn('{"classe": "REsp", "relator": "X"}'))
    request = dataclasses.replace(ementa_request(espelhos()[0]), json_schema=SCHEMA)

    openai.chat_model(json_mode="json_object").complete(request)

    body = openai.requests()[0].body
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"][0]["role"] == "system"
    assert '"relator"' in body["messages"][0]["content"]


def test_gemini_counts_thinking_tokens_as_output(gemini: Served) -> None:
    assert isinstance(gemini.server, FakeGeminiServer)
    gemini.server.answer_chat(ChatTurn("ok", tokens_in=120, tokens_out=7), thoughts=30)
    reply = gemini.chat_model().complete(ementa_request(espelhos()[0]))
    assert (reply.tokens_in, reply.tokens_out) == (120, 37)


def test_stream_yields_deltas_then_the_usage(provider: Served) -> None:
    record = espelhos()[3]
    text = record["ementa"][:300]
    provider.answer(ChatTurn(text, tokens_in=410, tokens_out=75))

    stream = provider.chat_model().stream(ementa_request(record))
    assert isinstance(stream, ChatStream)
    assert stream.response is None
    deltas = list(stream)

    assert len(deltas) > 1
    assert "".join(deltas) == text
    assert stream.response is not None
    assert (stream.response.text, stream.response.tokens_in, stream.response.tokens_out) == (text, 410, 75)
    sent = provider.requests()[0]
    if provider.name == "openai":
        assert sent.body["stream"] is True
        assert sent.body["stream_options"] == {"include_usage": True}
    else:
        assert ":streamGenerateContent" in sent.path


def test_http_errors_are_retryable_or_final(provider: Served) -> None:
    model = provider.chat_model()
    request = ementa_request(espelhos()[0])
    provider.rate_limit(1, retry_after="1.5")
    with pytest.raises(RetryableUpstreamError) as rate_limited:
        model.complete(request)
    assert getattr(rate_limited.value, "retry_after", None) == 1.5

    provider.server_error(1, 503)
    with pytest.raises(RetryableUpstreamError):
        model.complete(request)

    provider.fail(1, 400)
    with pytest.raises(UpstreamError) as final:
        model.complete(request)
    assert not isinstance(final.value, RetryableUpstreamError)
    assert "400" in final.value.message


def test_a_stream_that_cannot_start_raises_at_once(provider: Served) -> None:
    provider.rate_limit(1, retry_after="0.5")
    with pytest.raises(RetryableUpstreamError):
        provider.chat_model().stream(ementa_request(espelhos()[0]))
    assert len(provider.requests()) == 1


def test_a_timeout_is_retryable(provider: Served) -> None:
    provider.slow(1, 3.0)
    with pytest.raises(RetryableUpstreamError):
        provider.chat_model(timeout=0.4).complete(ementa_request(espelhos()[0]))


def test_none_provider_refuses_with_a_clear_error() -> None:
    model = build_chat_model("none", model="ignored")
    assert model.provider == "none"
    request = ChatRequest(Purpose.ANSWER, [ChatMessage("user", "O que diz a Súmula 7?")], "v1")
    with pytest.raises(LlmNotConfigured, match="JURISGRAPH_LLM_PROVIDER"):
        model.complete(request)
    with pytest.raises(LlmNotConfigured):
        model.stream(request)


def test_factory_rejects_bad_settings() -> None:
    with pytest.raises(ConfigError, match="unknown LLM provider"):
        build_chat_model("claude")
    with pytest.raises(ConfigError, match="does not take"):
        build_chat_model("openai", base_url="http://127.0.0.1:9/v1", model="m", dim=3)
    with pytest.raises(ConfigError, match="unknown LLM purposes"):
        build_chat_model("openai", base_url="http://127.0.0.1:9/v1", model="m", models={"poetry": "x"})
    with pytest.raises(ConfigError, match="API key"):
        build_chat_model("gemini", api_key="")

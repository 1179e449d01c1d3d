"""`container.gateway()` from the environment: one gateway per process, each provider."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from jurisgraph.config import load_settings
from jurisgraph.engine.llm import Purpose
from jurisgraph.integrations.llm.none import LlmNotConfigured
from jurisgraph.models.ops import LlmCall
from jurisgraph.runtime import Container
from tests.fakes.gemini_server import FakeGeminiServer
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.protocol_server import ChatTurn
from tests.fixtures.llm import ementa_request, espelhos


def _container(template: Path) -> Container:
    """A container over the current environment, its SQLite database already migrated."""
    settings = load_settings()
    database = Path(settings.database_url.removeprefix("sqlite:///"))
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, database)
    return Container.build(settings)


def _ledger(container: Container) -> list[tuple[str, str, str, int]]:
    with container.sessions() as session:
        rows = session.scalars(select(LlmCall).order_by(LlmCall.id))
        return [(r.provider, r.model, r.status, r.tokens_in) for r in rows]


def test_openai_gateway_from_the_environment(
    migrated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = espelhos()[0]
    with FakeOpenAIServer() as server:
        monkeypatch.setenv("JURISGRAPH_LLM_PROVIDER", "openai")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", server.api_key)
        monkeypatch.setenv("JURISGRAPH_LLM_MODEL", "qwen3:8b")
        monkeypatch.setenv("JURISGRAPH_LLM_MODELS", '{"extraction": "qwen3:1.7b"}')
        monkeypatch.setenv("JURISGRAPH_LLM_PRICES", '{"qwen3:1.7b": [0.5, 1.0]}')
        server.answer_chat(ChatTurn(record["ministroRelator"], tokens_in=2_000_000, tokens_out=0))
        container = _container(migrated_template)
        try:
            gateway = container.gateway()
            assert container.gateway() is gateway
            assert gateway.chat_model is container.chat_model()
            assert gateway.provider == "openai"
            assert gateway.model_for(Purpose.ANSWER) == "qwen3:8b"

            reply = gateway.complete(ementa_request(record, purpose=Purpose.EXTRACTION))

            assert reply.text == record["ministroRelator"]
            assert reply.extra["cost_usd"] == pytest.approx(1.0)
            assert _ledger(container) == [("openai", "qwen3:1.7b", "ok", 2_000_000)]
        finally:
            container.close()


def test_gemini_gateway_from_the_environment(
    migrated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = espelhos()[1]
    with FakeGeminiServer() as server:
        monkeypatch.setenv("JURISGRAPH_LLM_PROVIDER", "gemini")
        monkeypatch.setenv("GEMINI_API_KEY", server.api_key)
        monkeypatch.setenv("JURISGRAPH_LLM_BASE_URL", server.url)
        monkeypatch.setenv("JURISGRAPH_LLM_BUDGET_DAILY_USD", "5")
        server.answer_chat(ChatTurn(record["siglaClasse"], tokens_in=77, tokens_out=3))
        container = _container(migrated_template)
        try:
            gateway = container.gateway()
            assert gateway.settings.budgets.daily_usd == 5.0
            stream = gateway.stream(ementa_request(record))
            assert "".join(stream) == record["siglaClasse"]
            assert _ledger(container) == [("gemini", "gemini-2.5-flash", "ok", 77)]
        finally:
            container.close()


def test_without_a_provider_calls_are_refused_and_nothing_is_recorded(migrated_template: Path) -> None:
    container = _container(migrated_template)
    try:
        gateway = container.gateway()
        assert gateway.provider == "none" and not gateway.enabled
        with pytest.raises(LlmNotConfigured):
            gateway.complete(ementa_request(espelhos()[0]))
        with pytest.raises(LlmNotConfigured):
            gateway.stream(ementa_request(espelhos()[0]))
        assert _ledger(container) == []
    finally:
        container.close()

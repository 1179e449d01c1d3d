"""Chat providers wired to the local protocol servers, and real STJ records to talk about."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jurisgraph.engine.llm import ChatMessage, ChatModel, ChatRequest, Purpose
from jurisgraph.integrations.llm import build_chat_model
from tests.fakes import gemini_server, openai_server
from tests.fakes.gemini_server import FakeGeminiServer, content_text
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.protocol_server import ChatTurn, Recorded

SAMPLE = Path(__file__).resolve().parents[3] / "src" / "jurisgraph" / "sample"
ESPELHOS = SAMPLE / "espelhos-de-acordaos-primeira-turma"


def espelhos() -> list[dict[str, Any]]:
    """The real Primeira Turma espelhos bundled with the package (every month file)."""
    records: list[dict[str, Any]] = []
    for path in sorted(ESPELHOS.glob("2022*.json")):
        records.extend(json.loads(path.read_text(encoding="utf-8")))
    return records


def ementa_request(
    record: dict[str, Any], *, purpose: Purpose = Purpose.SUMMARY, version: str = "v1"
) -> ChatRequest:
    """A request about one real ementa."""
    return ChatRequest(
        purpose=purpose,
        messages=[
            ChatMessage("system", "Você resume acórdãos do STJ com precisão."),
            ChatMessage(
                "user",
                f"Resuma a ementa do {record['siglaClasse']} {record['numeroProcesso']}:\n{record['ementa']}",
            ),
        ],
        prompt_version=version,
    )


@dataclass
class Served:
    """A provider and the local server it talks to."""

    name: str
    server: FakeOpenAIServer | FakeGeminiServer

    @property
    def route(self) -> str:
        return openai_server.CHAT if self.name == "openai" else gemini_server.GENERATE

    def chat_model(self, **settings: Any) -> ChatModel:
        settings.setdefault("model", f"{self.name}-test-model")
        settings.setdefault("timeout", 10.0)
        base = self.server.base_url if isinstance(self.server, FakeOpenAIServer) else self.server.url
        return build_chat_model(self.name, base_url=base, api_key="test-key", **settings)

    def answer(self, *turns: ChatTurn) -> None:
        self.server.answer_chat(*turns)

    def requests(self) -> list[Recorded]:
        return self.server.requests(self.route)

    def rate_limit(self, times: int, retry_after: str) -> None:
        self.server.rate_limit(times, retry_after=retry_after, route=self.route)

    def server_error(self, times: int, status: int = 500) -> None:
        self.server.server_error(times, status, route=self.route)

    def slow(self, times: int, seconds: float) -> None:
        self.server.slow(times, seconds, route=self.route)

    def fail(self, times: int, status: int) -> None:
        """Reply with a non-retryable error in the provider's shape."""
        reply = (
            openai_server.error_reply(status, "bad request")
            if self.name == "openai"
            else gemini_server.error_reply(status, "bad request")
        )
        self.server.script_times(self.route, times, reply)

    def messages(self, request: Recorded) -> list[tuple[str, str]]:
        """The conversation a request carried, as (role, text) with roles system/user/assistant."""
        body = request.body if isinstance(request.body, dict) else {}
        if self.name == "openai":
            return [(m["role"], m["content"]) for m in body.get("messages", [])]
        found = []
        if body.get("systemInstruction"):
            found.append(("system", content_text(body["systemInstruction"])))
        for content in body.get("contents", []):
            role = "assistant" if content.get("role") == "model" else "user"
            found.append((role, content_text(content)))
        return found


def served(name: str) -> Iterator[Served]:
    """A running server of provider ``name`` for the duration of a fixture."""
    server: FakeOpenAIServer | FakeGeminiServer = (
        FakeOpenAIServer() if name == "openai" else FakeGeminiServer()
    )
    with server:
        yield Served(name, server)

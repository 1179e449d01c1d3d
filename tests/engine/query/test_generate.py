"""LLM steps through the chat port: call counting, map batches, invalid replies, streaming."""

from __future__ import annotations

import json
from collections.abc import Iterator

from jurisgraph.engine.llm import ChatRequest, ChatResponse, Purpose
from jurisgraph.engine.query import CallLog, Mode, map_calls
from jurisgraph.engine.query.generate import answer_request, classify_mode, map_reports, stream_text


class ScriptedChat:
    """Replies from a list, in order; records requests."""

    provider = "scripted"

    def __init__(self, replies: list[str]) -> None:
        self.replies = replies
        self.requests: list[ChatRequest] = []

    def model_for(self, purpose: Purpose) -> str:
        return "scripted-1"

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        return ChatResponse(
            self.replies.pop(0),
            "scripted-1",
            self.provider,
            tokens_in=10,
            tokens_out=5,
            extra={"cost_usd": 0.5},
        )

    def stream(self, request: ChatRequest) -> Iterator[str]:
        self.requests.append(request)
        yield from self.replies.pop(0).split("|")


def points(*items: tuple[str, list[int], int]) -> str:
    return json.dumps({"points": [{"text": t, "sources": s, "score": sc} for t, s, sc in items]})


def test_map_runs_one_call_per_batch_and_keeps_only_cited_points() -> None:
    numbered = [(n, f"relatório {n}") for n in range(1, 6)]
    chat = ScriptedChat(
        [
            points(("a", [1], 40), ("fora do lote", [4], 90)),
            "isto não é JSON",
            points(("c", [5], 70), ("sem fonte", [], 80)),
        ]
    )
    calls = CallLog()
    found = map_reports(chat, "pergunta", numbered, 2, calls)
    assert calls.count == 3 == map_calls(5, 2) and [r.purpose for r in chat.requests] == [Purpose.MAP] * 3
    assert [(p.text, p.sources) for p in found] == [("c", [5]), ("a", [1])]
    assert calls.tokens_in == 30 and calls.cost_usd == 1.5 and calls.models() == ["scripted-1"]


def test_classifier_reply_is_validated() -> None:
    calls = CallLog()
    assert (
        classify_mode(ScriptedChat(['{"mode": "global", "reason": "panorama"}']), "q", calls)[0]
        == Mode.GLOBAL
    )
    assert classify_mode(ScriptedChat(['{"mode": "todos"}']), "q", calls)[0] is None
    assert classify_mode(ScriptedChat(['{"mode": "auto"}']), "q", calls)[0] is None
    assert calls.count == 3 and calls.prompt_versions()["classify"].startswith("mode-classifier")


def test_stream_records_the_call_when_it_ends() -> None:
    calls = CallLog()
    chat = ScriptedChat(["A tese |é esta |[1]."])
    request = answer_request("Qual a tese?", "[1] Tema 1076/STJ\ntexto")
    deltas = stream_text(chat, request, calls)
    assert calls.count == 0
    assert "".join(deltas) == "A tese é esta [1]."
    assert calls.count == 1 and calls.calls[0].tokens_out > 0 and calls.calls[0].purpose == "answer"

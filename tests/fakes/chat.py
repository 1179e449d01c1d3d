"""A scripted chat model (the ChatModel port) that records every request."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from jurisgraph.engine.llm import ChatRequest, ChatResponse, Purpose


class FakeChat:
    """Answers by purpose: the classifier picks ``classify_as``; the map step returns one point
    per numbered report; the answer cites ``[1]`` (and ``[99]`` when ``bogus``). ``fail`` is
    raised by every call (and by streams before their first delta)."""

    provider = "fake"

    def __init__(
        self, *, classify_as: str = "global", bogus: bool = False, fail: Exception | None = None
    ) -> None:
        self.classify_as = classify_as
        self.bogus = bogus
        self.fail = fail
        self.requests: list[ChatRequest] = []

    def model_for(self, purpose: Purpose) -> str:
        return f"fake-{purpose}"

    def _text(self, request: ChatRequest) -> str:
        user = request.messages[-1].content
        if request.purpose == Purpose.CLASSIFY:
            return json.dumps({"mode": self.classify_as, "reason": "roteiro de teste"})
        if request.purpose == Purpose.MAP:
            numbers = [int(n) for n in re.findall(r"^\[(\d+)\]", user, re.MULTILINE)]
            points = [{"text": f"Ponto do relatório {n}.", "sources": [n], "score": 60 + n} for n in numbers]
            return "```json\n" + json.dumps({"points": points}) + "\n```"
        first = re.search(r"^\[1\] (.+)$", user, re.MULTILINE)
        label = first.group(1) if first else "sem fonte"
        text = f"Conforme a primeira fonte numerada ({label}), esta é a resposta [1]."
        return text + (" Afirmação sem fonte válida [99]." if self.bogus else "")

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        if self.fail is not None:
            raise self.fail
        text = self._text(request)
        prompt = sum(len(m.content) for m in request.messages)
        return ChatResponse(
            text=text,
            model=self.model_for(request.purpose),
            provider=self.provider,
            tokens_in=prompt // 4,
            tokens_out=len(text) // 4,
            extra={"cost_usd": 0.001},
        )

    def stream(self, request: ChatRequest) -> Iterator[str]:
        self.requests.append(request)
        if self.fail is not None:
            raise self.fail
        for word in self._text(request).split(" "):
            yield word + " "

    def purposes(self) -> list[str]:
        """Purposes of the calls made, in order."""
        return [str(r.purpose) for r in self.requests]

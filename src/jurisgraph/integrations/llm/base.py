"""What the chat providers share: per-purpose model names and the streamed reply."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from jurisgraph.engine.llm import ChatResponse, Purpose
from jurisgraph.errors import ConfigError


class PurposeModels:
    """The model of each purpose: ``overrides[purpose]`` when set, else ``default``."""

    def __init__(self, default: str, overrides: Mapping[str, str] | None = None) -> None:
        if not default:
            raise ConfigError("a chat model name is required")
        known = {p.value for p in Purpose}
        unknown = sorted(set(overrides or {}) - known)
        if unknown:
            raise ConfigError(f"unknown LLM purposes {unknown}; expected some of {sorted(known)}")
        self.default = default
        self.overrides = {k: v for k, v in (overrides or {}).items() if v}

    def __call__(self, purpose: Purpose | str) -> str:
        return self.overrides.get(str(purpose), self.default)


@dataclass(frozen=True, slots=True)
class StreamPart:
    """One piece of a streamed reply: a text delta and/or the token counts reported so far."""

    text: str = ""
    tokens_in: int | None = None
    tokens_out: int | None = None


class ChatStream(Iterator[str]):
    """Text deltas of one reply; once exhausted, :attr:`response` holds the whole reply.

    The first part is read when the stream is built, so a failure to start the call (HTTP
    error, timeout) raises from the constructor, where it can still be retried. Token counts
    are the last ones the provider reported (providers report running totals).
    """

    def __init__(
        self,
        parts: Iterator[StreamPart],
        *,
        provider: str,
        model: str,
        cached: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.provider, self.model, self.cached = provider, model, cached
        self._parts = parts
        self._clock = clock
        self._started = clock()
        self._texts: list[str] = []
        self._tokens_in = 0
        self._tokens_out = 0
        self._done = False
        self._response: ChatResponse | None = None
        self._first: StreamPart | None = self._pull()

    @classmethod
    def of_text(cls, response: ChatResponse) -> ChatStream:
        """A stream of one delta holding ``response`` (a cached reply)."""
        part = StreamPart(response.text, response.tokens_in, response.tokens_out)
        return cls(iter([part]), provider=response.provider, model=response.model, cached=response.cached)

    @property
    def response(self) -> ChatResponse | None:
        """The whole reply once the stream is exhausted, else None."""
        return self._response

    @property
    def text(self) -> str:
        """The text received so far."""
        return "".join(self._texts)

    def _pull(self) -> StreamPart | None:
        try:
            return next(self._parts)
        except StopIteration:
            self._finish()
            return None

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        latency = round((self._clock() - self._started) * 1000)
        self._response = ChatResponse(
            text=self.text,
            model=self.model,
            provider=self.provider,
            tokens_in=self._tokens_in,
            tokens_out=self._tokens_out,
            cached=self.cached,
            latency_ms=latency,
        )

    def __iter__(self) -> ChatStream:
        return self

    def __next__(self) -> str:
        while True:
            if self._first is not None:
                part, self._first = self._first, None
            elif self._done:
                raise StopIteration
            else:
                pulled = self._pull()
                if pulled is None:
                    raise StopIteration
                part = pulled
            if part.tokens_in is not None:
                self._tokens_in = part.tokens_in
            if part.tokens_out is not None:
                self._tokens_out = part.tokens_out
            if part.text:
                self._texts.append(part.text)
                return part.text

    def close(self) -> None:
        """Stop reading (closes the underlying HTTP response)."""
        closer = getattr(self._parts, "close", None)
        if callable(closer):
            closer()
        self._done = True

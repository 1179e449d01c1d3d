"""The LLM gateway: every chat call of the service goes through one per process.

Order of a call: reply cache → budgets → concurrency slot and rate limit → provider call
with retries → ledger row (+ Prometheus counters) → cache store. The gateway is itself a
:class:`~jurisgraph.engine.llm.ChatModel`, so engine code uses it like any provider.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TypeVar

import pydantic
import structlog

from jurisgraph.db import SessionFactory
from jurisgraph.engine.llm import ChatModel, ChatRequest, ChatResponse, Purpose
from jurisgraph.errors import BudgetExhausted, RetryableUpstreamError
from jurisgraph.gateway.budgets import check_budgets
from jurisgraph.gateway.cache import ResponseCache, cache_key
from jurisgraph.gateway.clock import Clock, SystemClock
from jurisgraph.gateway.context import CallContext, resolve_context
from jurisgraph.gateway.ledger import Ledger, LedgerEntry
from jurisgraph.gateway.pricing import PriceTable
from jurisgraph.gateway.settings import GatewaySettings
from jurisgraph.gateway.structured import parse_reply, repair_request
from jurisgraph.integrations.llm.base import ChatStream, StreamPart
from jurisgraph.kit.throttle import LocalThrottle, Throttle

log = structlog.get_logger(__name__)

M = TypeVar("M", bound=pydantic.BaseModel)
T = TypeVar("T")
CLOSED_EARLY = "stream closed by the caller before its end"
Observer = Callable[[ChatRequest, ChatResponse], None]
"""Sees each call of a structured request: the request sent and the reply it got."""
TRANSIENT: tuple[type[BaseException], ...] = (RetryableUpstreamError, TimeoutError)
"""Failures the gateway retries (429, 408, 5xx, timeouts, connection errors); others fail at once."""


@dataclass(frozen=True, slots=True)
class _Call:
    request: ChatRequest
    model: str
    key: str | None
    context: CallContext
    started: float


class Gateway:
    """A :class:`ChatModel` adding retries, limits, a reply cache, the ledger and budgets.

    Limits (calls per minute, calls in flight) are counted by ``throttle``: in this process by
    default, or shared by every process through Redis (:meth:`jurisgraph.runtime.Container.gateway`
    passes the container's throttle). With provider ``none`` every call raises as the provider
    does, and nothing is recorded.
    """

    def __init__(
        self,
        chat_model: ChatModel,
        sessions: SessionFactory,
        *,
        settings: GatewaySettings | None = None,
        clock: Clock | None = None,
        throttle: Throttle | None = None,
    ) -> None:
        self.chat_model = chat_model
        self.settings = settings or GatewaySettings()
        self.clock: Clock = clock or SystemClock()
        self.ledger = Ledger(sessions)
        self.cache = ResponseCache(sessions)
        self.prices = PriceTable(self.settings.prices)
        self.throttle: Throttle = throttle or LocalThrottle(
            clock=self.clock.monotonic, sleep=self.clock.sleep
        )
        self._limit_name = f"llm:{chat_model.provider}"

    @property
    def provider(self) -> str:
        """The provider's name; ``none`` means answer extractively."""
        return self.chat_model.provider

    @property
    def enabled(self) -> bool:
        """False for provider ``none``."""
        return self.provider != "none"

    def model_for(self, purpose: Purpose) -> str:
        return self.chat_model.model_for(purpose)

    # -- calls -------------------------------------------------------------------------------
    def complete(self, request: ChatRequest, *, context: CallContext | None = None) -> ChatResponse:
        """One reply. A cache hit has ``cached=True`` and 0 tokens (the original counts in ``extra``).

        Raises :class:`BudgetExhausted` when a cap is reached, the provider's error when retries
        run out or the failure is not retryable.
        """
        if not self.enabled:
            return self.chat_model.complete(request)
        call = self._begin(request, context)
        hit = self._cached(call)
        if hit is not None:
            return hit
        self._check_budget(call)
        try:
            response = self._retry(lambda: self._attempt(request), call)
        except Exception as exc:
            self._record(call, "error", error=f"{type(exc).__name__}: {exc}")
            raise
        return self._finish(call, response)

    def stream(self, request: ChatRequest, *, context: CallContext | None = None) -> ChatStream:
        """The reply as text deltas; ``response`` of the returned stream holds the totals at its end.

        Cache, budgets and retries apply before the first delta: their errors raise here. The
        ledger row is written when the stream ends (or is closed early, as an error).
        """
        if not self.enabled:
            parts = (StreamPart(delta) for delta in self.chat_model.stream(request))
            return ChatStream(parts, provider=self.provider, model=self.model_for(request.purpose))
        call = self._begin(request, context)
        hit = self._cached(call)
        if hit is not None:
            return ChatStream.of_text(hit)
        self._check_budget(call)
        try:
            inner, slot = self._retry(lambda: self._open_stream(request), call)
        except Exception as exc:
            self._record(call, "error", error=f"{type(exc).__name__}: {exc}")
            raise
        return ChatStream(
            self._relay(call, inner, slot),
            provider=self.provider,
            model=call.model,
            clock=self.clock.monotonic,
        )

    def complete_json(
        self,
        request: ChatRequest,
        model_cls: type[M],
        *,
        context: CallContext | None = None,
        observe: Observer | None = None,
    ) -> M | None:
        """The reply validated as ``model_cls``; None (logged with the reason) when it cannot be.

        Without ``request.json_schema`` the model's JSON schema is sent. An invalid reply is
        retried once with a repair prompt (the conversation, the bad reply and the validation
        error); invalid replies are dropped from the cache. Bad replies never raise; budget and
        upstream errors do. ``observe`` sees each (request, reply) pair (a caller's audit trail).
        """
        if request.json_schema is None:
            request = dataclasses.replace(request, json_schema=model_cls.model_json_schema())
        response = self.complete(request, context=context)
        if observe is not None:
            observe(request, response)
        value, problem = parse_reply(response.text, model_cls)
        if value is not None:
            return value
        self._forget(request)
        log.info(
            "llm.json_invalid",
            purpose=str(request.purpose),
            prompt_version=request.prompt_version,
            error=problem,
        )
        repair = repair_request(request, response.text, problem)
        repaired = self.complete(repair, context=context)
        if observe is not None:
            observe(repair, repaired)
        value, problem = parse_reply(repaired.text, model_cls)
        if value is not None:
            return value
        self._forget(repair)
        log.warning(
            "llm.json_skipped",
            purpose=str(request.purpose),
            prompt_version=request.prompt_version,
            model=repaired.model,
            reason=problem,
            reply=repaired.text[:300],
        )
        return None

    # -- steps -------------------------------------------------------------------------------
    def _begin(self, request: ChatRequest, context: CallContext | None) -> _Call:
        model = self.model_for(request.purpose)
        key = cache_key(self.provider, model, request) if self.settings.cache else None
        return _Call(request, model, key, resolve_context(context), self.clock.monotonic())

    def _what(self, call: _Call) -> str:
        return f"{self.provider} chat ({call.request.purpose}, model {call.model})"

    def _cached(self, call: _Call) -> ChatResponse | None:
        if call.key is None:
            return None
        stored = self.cache.get(call.key)
        if stored is None:
            return None
        self._record(call, "cached")
        return dataclasses.replace(
            stored,
            tokens_in=0,
            tokens_out=0,
            cached=True,
            latency_ms=self._elapsed_ms(call),
            extra={"cached_tokens_in": stored.tokens_in, "cached_tokens_out": stored.tokens_out},
        )

    def _check_budget(self, call: _Call) -> None:
        try:
            check_budgets(self.ledger, self.settings.budgets, call.context, self.clock.now())
        except BudgetExhausted as exc:
            self._record(call, "budget_exhausted", error=exc.message)
            log.warning(
                "llm.budget_exhausted", scope=exc.scope, limit_usd=exc.limit_usd, spent_usd=exc.spent_usd
            )
            raise

    def _retry(self, fn: Callable[[], T], call: _Call) -> T:
        """``fn`` under the gateway's retry policy; the last failure propagates when retries run out."""
        return self.settings.retry.call(
            fn, transient=TRANSIENT, what=self._what(call), log_event="llm.retry", sleep=self.clock.sleep
        )

    def _attempt(self, request: ChatRequest) -> ChatResponse:
        with self.throttle.slot(self._limit_name, self.settings.concurrency):
            self.throttle.rate(self._limit_name, self.settings.rpm)
            return self.chat_model.complete(request)

    def _open_stream(self, request: ChatRequest) -> tuple[Iterator[str], ExitStack]:
        """Start a provider stream holding a concurrency slot, which :meth:`_relay` releases."""
        with ExitStack() as held:
            held.enter_context(self.throttle.slot(self._limit_name, self.settings.concurrency))
            self.throttle.rate(self._limit_name, self.settings.rpm)
            inner = self.chat_model.stream(request)
            return inner, held.pop_all()

    def _relay(self, call: _Call, inner: Iterator[str], slot: ExitStack) -> Iterator[StreamPart]:
        texts: list[str] = []
        outcome = "closed"
        try:
            for delta in inner:
                texts.append(delta)
                yield StreamPart(delta)
            outcome = "done"
        except Exception as exc:
            outcome = "failed"
            self._record(call, "error", error=f"{type(exc).__name__}: {exc}")
            raise
        finally:
            slot.close()
            if outcome == "closed":
                closer = getattr(inner, "close", None)
                if callable(closer):
                    closer()
                self._record(call, "error", error=CLOSED_EARLY)
        response = getattr(inner, "response", None)
        if not isinstance(response, ChatResponse):
            response = ChatResponse(text="".join(texts), model=call.model, provider=self.provider)
        final = self._finish(call, response)
        yield StreamPart("", final.tokens_in, final.tokens_out)

    def _finish(self, call: _Call, response: ChatResponse) -> ChatResponse:
        cost = self.prices.cost(response.model or call.model, response.tokens_in, response.tokens_out)
        latency = self._elapsed_ms(call)
        self._record(
            call,
            "ok",
            tokens_in=response.tokens_in,
            tokens_out=response.tokens_out,
            cost_usd=cost,
            model=response.model or call.model,
        )
        if call.key is not None:
            self.cache.put(call.key, call.request, response)
        return dataclasses.replace(response, latency_ms=latency, extra={**response.extra, "cost_usd": cost})

    def _forget(self, request: ChatRequest) -> None:
        if self.settings.cache:
            self.cache.forget(cache_key(self.provider, self.model_for(request.purpose), request))

    def _elapsed_ms(self, call: _Call) -> int:
        return max(0, round((self.clock.monotonic() - call.started) * 1000))

    def _record(
        self,
        call: _Call,
        status: str,
        *,
        tokens_in: int = 0,
        tokens_out: int = 0,
        cost_usd: float = 0.0,
        error: str | None = None,
        model: str | None = None,
    ) -> None:
        entry = LedgerEntry(
            provider=self.provider,
            model=model or call.model,
            purpose=str(call.request.purpose),
            prompt_version=call.request.prompt_version,
            status=status,
            context=call.context,
            created_at=self.clock.now(),
            cache_key=call.key,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            cost_usd=cost_usd,
            latency_ms=self._elapsed_ms(call),
            error=error,
        )
        try:
            self.ledger.record(entry)
        except Exception as exc:
            log.error(
                "llm.ledger_failed", status=status, model=entry.model, error=f"{type(exc).__name__}: {exc}"
            )
            raise
        log.debug(
            "llm.call",
            status=status,
            model=entry.model,
            purpose=entry.purpose,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            cost_usd=cost_usd,
        )

